"""Section M1: link the project to plans at levels 1–3 by browsing the catalog tree or searching it.

``state.sub`` is a :class:`LinksView` whose ``view`` is ``menu`` (links so far, what is missing), ``browse``
(children of ``node``; ``None`` lists the families of ``level``), ``search`` (asking for words), ``results``,
``ref`` (typing the reference of a law or cabinet resolution) or ``remove``. Typed words in any view search.
Browsing leads the owner down to the sub-plan target (Y1) that the project moves.
"""

from __future__ import annotations

from typing import Any

from conversations.catalog_view import CatalogView, PlanItem
from conversations.copy import render
from conversations.engine.context import Context
from conversations.engine.nav import Input, Nav, nav
from conversations.engine.output import Output, buttons, present
from conversations.engine.state import State
from conversations.engine.status import missing_levels
from conversations.engine.substates import LinksView
from conversations.flows.flow import PlanLinks
from conversations.formatting import shorten
from conversations.messages import InputHint, Reply
from conversations.parsers.choices import parse_text
from conversations.parsers.errors import InvalidAnswer
from conversations.parsers.plan_refs import code_of, split_references

Navigation = list[tuple[str, str]]
REFERENCE_LIMIT = 300
SEARCH_LIMIT = 10


def enter(state: State) -> None:
    """Start at the list of links."""
    state.sub = LinksView()


def view_of(state: State) -> LinksView:
    """The widget's view in ``state.sub`` (its menu when the state holds none)."""
    if not isinstance(state.sub, LinksView):
        state.sub = LinksView()
    return state.sub


def _fiscal_year(state: State) -> int | None:
    year = state.answers.get("fiscal_year")
    return year if isinstance(year, int) else None


def _links(step: PlanLinks, state: State) -> list[dict[str, Any]]:
    links: list[dict[str, Any]] = state.answers.get(step.key, [])
    return links


def handle_input(step: PlanLinks, state: State, inp: Input, ctx: Context, out: Output) -> bool:
    """Take one input; True when the owner is done with M1."""
    catalog = ctx.need_catalog()
    view = view_of(state).view
    if view == "ref":
        if inp.text is not None:
            _take_reference(step, state, inp.text, catalog, out)
        else:
            out.say("m1.type_reference")
        return False
    if inp.text is not None:
        _typed(step, state, inp.text, catalog, out)
        return False
    if view == "menu":
        return _menu(step, state, inp, catalog, out)
    if view in ("browse", "results") and inp.value is not None:
        _choose(step, state, inp.value, catalog, out)
    elif view == "browse" and inp.action is Nav.PICK and view_of(state).node:
        _choose_node(step, state, catalog.get(view_of(state).node or ""), catalog, out, link_here=True)
    elif view == "browse" and inp.action is Nav.UP:
        _up(state, catalog)
    elif view == "remove" and inp.value is not None:
        _remove(step, state, inp.value, out)
    else:
        out.say("group.use_buttons")
    return False


def _menu(step: PlanLinks, state: State, inp: Input, catalog: CatalogView, out: Output) -> bool:
    if inp.value in ("l1", "l2", "l3"):
        level = int(inp.value[1])
        families = catalog.families(level, _fiscal_year(state))
        state.sub = LinksView("browse", level, families[0].code if len(families) == 1 else None)
    elif inp.action is Nav.SEARCH:
        state.sub = LinksView("search")
    elif inp.action is Nav.REMOVE and _links(step, state):
        state.sub = LinksView("remove")
    elif inp.action is Nav.DONE:
        missing = missing_levels(step, state.answers)
        if not missing:
            return True
        out.say("m1.missing_levels", levels=", ".join(str(level) for level in missing))
    else:
        out.say("group.use_buttons")
    return False


def back(state: State, catalog: CatalogView | None) -> bool:
    """Go back inside the widget; False when backing out of M1."""
    view = view_of(state).view
    if view == "menu":
        return False
    if view == "browse" and catalog is not None:
        _up(state, catalog)
    else:
        state.sub = LinksView()
    return True


def _up(state: State, catalog: CatalogView) -> None:
    node = catalog.get(view_of(state).node or "")
    level = view_of(state).level
    if node is None or node.parent is None:
        families = catalog.families(level, _fiscal_year(state))
        if node is None or len(families) == 1:
            state.sub = LinksView()
        else:
            state.sub = LinksView("browse", level, None)
        return
    state.sub = LinksView("browse", level, node.parent)


def _typed(step: PlanLinks, state: State, text: str, catalog: CatalogView, out: Output) -> None:
    """Typed text: each plan it names by code or number (``NS-03, MP-12 แผนย่อย 2, หมุดหมาย 12``) is linked and
    said back; a part in words is searched (in a message of several parts, words with one match are linked too)."""
    references = split_references(text)
    several = len(references) > 1
    found = [(reference, _resolve(reference, catalog, _fiscal_year(state), words=several))
             for reference in references]
    if not any(item is not None for _, item in found):
        _search(state, text, catalog, out)  # words alone: the search, as ever
        return
    linked = [item for _, item in found if item is not None]
    if len(linked) == 1:
        _link(step, state, linked[0], "", out)
    else:  # said back in one message, each on its line
        lines = [_link(step, state, item, "", out, quiet=True) for item in linked]
        out.say("m1.linked_many", count=len(linked), links="\n".join(lines))
        out.save()
    rest = [reference for reference, item in found if item is None]
    if rest:
        out.say("m1.typed_rest", words=", ".join(shorten(reference, 40) for reference in rest))
        _search(state, rest[0], catalog, out)


def _resolve(reference: str, catalog: CatalogView, fiscal_year: int | None, *, words: bool) -> PlanItem | None:
    """The one linkable node a reference names: by code or plan number, or (``words``) the only match of a
    search; None otherwise (families and laws are reached by browsing: they ask for more)."""
    code = code_of(reference)
    item = catalog.get(code) if code else None
    if item is None and code and "-Y" in code:  # a sub-plan's target under another number: its first target
        targets = [child for child in catalog.children(code.rsplit("-", 1)[0], fiscal_year) if child.kind == "target"]
        item = targets[0] if targets else None
    if item is None and code is None and words:
        matches = catalog.search(reference, fiscal_year, limit=2)
        item = matches[0] if len(matches) == 1 else None
    if item is None or not item.valid_in(fiscal_year) or item.kind == "family" or item.takes_reference:
        return None
    return item


def _search(state: State, text: str, catalog: CatalogView, out: Output) -> None:
    found, complete = catalog.search_words(text, _fiscal_year(state), limit=SEARCH_LIMIT)
    if not found:
        out.say("m1.no_results", words=shorten(text, 40))
        state.sub = LinksView("search")
        return
    if not complete:  # no plan holds every word: the ones holding most, said so
        out.say("m1.partial_results", words=shorten(text, 40))
    state.sub = LinksView("results", codes=[item.code for item in found], words=shorten(text, 40))


def _choose(step: PlanLinks, state: State, code: str, catalog: CatalogView, out: Output) -> None:
    item = catalog.get(code)
    if item is None or not item.valid_in(_fiscal_year(state)):
        out.say("group.pick_again")
        return
    _choose_node(step, state, item, catalog, out, link_here=False)


def _choose_node(step: PlanLinks, state: State, item: PlanItem | None, catalog: CatalogView, out: Output, *,
                 link_here: bool) -> None:
    if item is None:
        return
    if item.takes_reference:
        state.sub = LinksView("ref", item.level, item.code)
    elif catalog.children(item.code, _fiscal_year(state)) and not link_here:
        state.sub = LinksView("browse", item.level, item.code)
    else:
        _link(step, state, item, "", out)


def _take_reference(step: PlanLinks, state: State, text: str, catalog: CatalogView, out: Output) -> None:
    try:
        reference = parse_text(text, max_length=REFERENCE_LIMIT)
    except InvalidAnswer as problem:
        out.say(problem.reason, **problem.params)
        return
    item = catalog.get(view_of(state).node or "")
    if item is not None:
        _link(step, state, item, reference, out)


def _link(step: PlanLinks, state: State, item: PlanItem, reference: str, out: Output, *, quiet: bool = False) -> str:
    """Link the node (said back unless ``quiet``); the line saying so, for a message naming several."""
    links: list[dict[str, Any]] = state.answers.setdefault(step.key, [])
    state.sub = LinksView()
    if any(link["code"] == item.code and link.get("ref", "") == reference for link in links):
        if not quiet:
            out.say("m1.already_linked", code=item.code)
        return render("m1.already_linked", code=item.code)
    links.append({"code": item.code, "level": item.level, "title": item.title, "ref": reference})
    line = render("m1.linked", code=item.code, title=shorten(item.title, 80), level=item.level)
    if not quiet:
        out.say("m1.linked", code=item.code, title=shorten(item.title, 80), level=item.level)
        if not item.confirmed:
            out.say("m1.unconfirmed_linked")
        out.save()
    return line if item.confirmed else f"{line}{render('m1.unconfirmed_mark')}"


def _remove(step: PlanLinks, state: State, value: str, out: Output) -> None:
    links = _links(step, state)
    try:
        index = int(value.lstrip("r"))
        removed = links.pop(index)
    except (ValueError, IndexError):
        out.say("group.pick_again")
        return
    out.say("m1.unlinked", code=removed["code"])
    out.save()
    state.sub = LinksView()


def _label(item: PlanItem) -> str:
    mark = "" if item.confirmed else render("m1.unconfirmed_mark")
    return f"{item.code} {item.title}{mark}"


def render_links(step: PlanLinks, state: State, ctx: Context, identity: str, header: str,
                 navigation: Navigation) -> Reply:
    """The widget's current screen."""
    catalog = ctx.need_catalog()
    shown = view_of(state)
    view = shown.view
    fiscal_year = _fiscal_year(state)
    pairs: Navigation = []
    extra: Navigation = [(nav(Nav.BACK), render("nav.back"))]
    if view == "browse":
        node = catalog.get(shown.node or "")
        items = catalog.children(node.code, fiscal_year) if node else catalog.families(shown.level, fiscal_year)
        trail = " › ".join(shorten(part.title, 40) for part in catalog.path(node.code)) if node else ""
        listing = "\n".join(f"{index}. {_label(item)}" for index, item in enumerate(items, start=1))
        text = render("m1.browse", header=header, trail=trail or render("m1.level_root", level=shown.level),
                      items=listing, guide=render(f"m1.guide.{items[0].kind}") if items else "")
        pairs = [(item.code, shorten(_label(item), 40)) for item in items]
        if node is not None and node.kind != "family":
            pairs.append((nav(Nav.PICK), render("m1.link_here")))
        extra = [(nav(Nav.UP), render("nav.up"))]
    elif view == "results":
        items = [item for code in shown.codes if (item := catalog.get(code))]
        listing = "\n".join(f"{index}. {_label(item)} ({render('label.plan_level', level=item.level)})"
                            for index, item in enumerate(items, start=1))
        text = render("m1.results", header=header, words=shown.words, items=listing)
        pairs = [(item.code, shorten(_label(item), 40)) for item in items]
    elif view == "search":
        text = render("m1.search", header=header)
    elif view == "ref":
        item = catalog.get(shown.node or "")
        text = render("m1.reference", header=header, title=item.title if item else "")
    elif view == "remove":
        links = _links(step, state)
        text = render("m1.remove", header=header)
        pairs = [(f"r{index}", shorten(f"{link['code']} {link.get('ref') or link.get('title', '')}", 40))
                 for index, link in enumerate(links)]
    else:
        return _render_menu(step, state, identity, header, navigation)
    present(state, f"{identity}:{view}:{shown.node}:{shown.codes if view == 'results' else None}")
    hint = InputHint.TEXT if view in ("search", "ref") else InputHint.CHOICE
    return Reply(text=text, choices=buttons(state, pairs + extra), hint=hint)


def _render_menu(step: PlanLinks, state: State, identity: str, header: str, navigation: Navigation) -> Reply:
    links = _links(step, state)
    listing = "\n".join(
        f"• {render('label.plan_level', level=link['level'])}: {link['code']} "
        f"{shorten(link.get('ref') or link.get('title', ''), 80)}" for link in links
    ) or render("m1.no_links")
    missing = missing_levels(step, state.answers)
    note = render("m1.still_missing", levels=", ".join(str(level) for level in missing)) if missing else render(
        "m1.complete")
    text = render("m1.menu", header=header, links=listing, note=note)
    pairs = [("l1", render("m1.level1")), ("l2", render("m1.level2")), ("l3", render("m1.level3")),
             (nav(Nav.SEARCH), render("m1.search_button"))]
    if links:
        pairs.append((nav(Nav.REMOVE), render("nav.remove")))
    pairs.append((nav(Nav.DONE), render("nav.done")))
    present(state, f"{identity}:menu")
    return Reply(text=text, choices=buttons(state, pairs + navigation), hint=InputHint.CHOICE)
