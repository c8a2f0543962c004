"""The catalog checks catch each kind of broken translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog

from esimfly_desktop.i18n import build, catalog_checks


def _catalog(language: str, entries: list[tuple[object, object]]) -> Catalog:
    catalog = Catalog(locale=language, fuzzy=False)
    for message_id, translation in entries:
        catalog.add(message_id, translation)
    return catalog


def test_stale_template_reports_new_and_removed() -> None:
    committed = _catalog("en", [("Old text", ""), ("Kept", "")])
    extracted = _catalog("en", [("Kept", ""), ("New text", "")])

    problems = catalog_checks.template_problems(committed, extracted)

    assert any("'New text' is in the code" in problem for problem in problems)
    assert any("'Old text'" in problem and "no longer" in problem for problem in problems)


def test_completeness_reports_missing_empty_fuzzy() -> None:
    template = _catalog("en", [("Missing", ""), ("Empty", ""), ("Guess", ""), ("Done", "")])
    catalog = _catalog("fr", [("Empty", ""), ("Guess", "Deviné"), ("Done", "Fait")])
    catalog.get("Guess").flags.add("fuzzy")

    problems = catalog_checks.completeness_problems("fr", template, catalog)

    assert problems == [
        "fr: missing message 'Missing'",
        "fr: no translation for 'Empty'",
        "fr: fuzzy translation of 'Guess'",
    ]


def test_placeholders_dropped_or_altered() -> None:
    catalog = _catalog(
        "es",
        [
            ("Balance: {amount}", "Saldo: {importe}"),
            ("Order {reference} for {amount}", "Pedido {reference}"),
            ("Pay {amount}", "Pagar {amount}"),
            ("Bad {amount}", "Malo {amount"),
        ],
    )

    problems = catalog_checks.placeholder_problems("es", catalog)

    assert any("'Balance: {amount}'" in problem and "{importe}" in problem for problem in problems)
    assert any(
        "'Order {reference}" in problem and "drops ['{amount}']" in problem for problem in problems
    )
    assert any("'Bad {amount}'" in problem and "invalid braces" in problem for problem in problems)
    assert not any("'Pay {amount}'" in problem for problem in problems)


def test_plural_form_may_leave_out_count() -> None:
    catalog = _catalog(
        "ar",
        [
            (
                ("{count} day for {name}", "{count} days for {name}"),
                (
                    "لا أيام لـ{name}",
                    "يوم واحد لـ{name}",
                    "يومان لـ{name}",
                    "{count} أيام لـ{name}",
                    "{count} يومًا لـ{name}",
                    "{count} يوم لـ{name}",
                ),
            ),
            (
                ("{count} eSIM for {name}", "{count} eSIMs for {name}"),
                ("لا شرائح", "شريحة", "شريحتان", "{count}", "{count}", "{count}"),
            ),
        ],
    )

    problems = catalog_checks.placeholder_problems("ar", catalog)

    assert len(problems) == 6
    assert all("eSIM for {name}" in problem and "{name}" in problem for problem in problems)


def test_untranslated_respects_allowed_list(tmp_path: Path) -> None:
    allowed_file = tmp_path / "allowed.txt"
    allowed_file.write_text("# comment\nOK\nfr: Total\n", encoding="utf-8")
    allowed = catalog_checks.read_allowed_untranslated(allowed_file)
    catalog = _catalog("fr", [("OK", "OK"), ("Total", "Total"), ("Cancel", "Cancel")])

    problems = catalog_checks.untranslated_problems("fr", catalog, allowed)
    spanish = catalog_checks.untranslated_problems("es", catalog, allowed)

    assert problems == ["fr: translation repeats the English text 'Cancel'"]
    assert "es: translation repeats the English text 'Total'" in spanish


def test_compiled_catalog_mismatch(tmp_path: Path) -> None:
    po_path = tmp_path / "messages.po"
    mo_path = tmp_path / "messages.mo"
    po_path.write_bytes(build.render_po(_catalog("fr", [("Yes", "Oui")])))
    mo_path.write_bytes(build.render_mo(_catalog("fr", [("Yes", "Ouais")])))

    problems = catalog_checks.compiled_problems("fr", po_path, mo_path)
    missing = catalog_checks.compiled_problems("fr", po_path, tmp_path / "absent.mo")

    assert problems == ["fr: messages.mo differs from messages.po; run the compile step"]
    assert "missing" in missing[0]
