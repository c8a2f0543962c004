"""Buying a package at the counter: the order dialog and its step-by-step progress."""

from esimfly_desktop.ui.purchase.controller import PurchaseController
from esimfly_desktop.ui.purchase.progress_view import PurchaseProgressView
from esimfly_desktop.ui.purchase.purchase_dialog import PurchaseDialog

__all__ = ["PurchaseController", "PurchaseDialog", "PurchaseProgressView"]
