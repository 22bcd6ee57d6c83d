"""The attribution package's structure: per-document state lives in a per-document object,
the cues file is checked on load, and the package has no import circle with the linker."""

import ast
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ROOT
from spacy.tokens import Doc, Span, Token

TEXTS = [
    "About 900 buildings were damaged, the Red Cross said. It added that 40 people were missing.",
    'PENCE: We have 650 employees. "We counted 400 bodies," the governor said.',
    "According to the World Bank, growth slowed to 2.3%. Officials said 40 people died, "
    "while the rebels put the toll at 120.",
    "The ministry's estimate is 3,000. Clinton wants to sign up 5 million people.",
]


def _docs(nlp):
    from pipeline.process import make_doc
    from pipeline.records import Article

    return [nlp(make_doc(nlp, Article(f"t{i}", t))) for i, t in enumerate(TEXTS)]


def _held(obj, depth=0):
    """Everything an object refers to through its attributes and containers, a few levels deep."""
    if depth > 3:
        return
    yield obj
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _held(k, depth + 1)
            yield from _held(v, depth + 1)
    elif isinstance(obj, (list, tuple, set, frozenset)):
        for v in obj:
            yield from _held(v, depth + 1)
    elif hasattr(obj, "__dict__") and not isinstance(obj, type) and type(obj).__module__.startswith("pipeline"):
        for v in vars(obj).values():
            yield from _held(v, depth + 1)


def test_no_per_document_state_on_the_component(nlp):
    from pipeline.attribution import DocState

    _docs(nlp)
    comp = nlp.get_pipe("claim_attribution")
    kept = [type(x).__name__ for x in _held(comp) if isinstance(x, (Doc, Span, Token, DocState))]
    assert kept == [], f"the component keeps {kept} after processing"
    # nothing of the kind the monolith had (an index of the last Doc, its transcript turns)
    assert not {"_ix", "_turns"} & set(vars(comp.attributor))


def test_one_component_attributes_docs_concurrently(nlp):
    docs = _docs(nlp) * 3
    expected = [list(d._.attributions) for d in docs]
    comp = nlp.get_pipe("claim_attribution").attributor
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(comp, docs))
    assert got == expected
    assert any(a is not None for atts in got for a in atts)


def test_the_shipped_cues_load_and_document_every_key():
    from pipeline.attribution import load_cues

    cues = load_cues()
    assert "say" in cues.verbs and cues.according[0] == "according to" and cues.pronouns["he"] == "person"
    d = json.loads((ROOT / "models" / "cues.json").read_text(encoding="utf-8"))
    undocumented = [k for k in d if not k.startswith("_") and f"_comment_{k}" not in d]
    assert undocumented == []


@pytest.mark.parametrize(
    "change, message",
    [
        ({"verbz": ["say"]}, "'verbz'"),  # a misspelt key
        ({"verbs": "say"}, "'verbs'"),  # a string, not a list
        ({"pronouns": ["he"]}, "'pronouns'"),  # a list, not a mapping
        ({"topic_shifts": [1, 2]}, "'topic_shifts'"),  # numbers, not words
        ({"description_antecedents": {"agency": "office"}}, "'description_antecedents'"),  # not lists of words
        ({"list_item_words": True}, "'list_item_words'"),  # not a whole number
    ],
)
def test_a_bad_cues_file_is_an_error_naming_file_and_key(tmp_path, change, message):
    from pipeline.attribution import CuesError, load_cues

    d = json.loads((ROOT / "models" / "cues.json").read_text(encoding="utf-8"))
    d.update(change)
    p = tmp_path / "my_cues.json"
    p.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(CuesError) as e:
        load_cues(str(p))
    assert "my_cues.json" in str(e.value) and message in str(e.value)


def test_a_missing_required_key_is_an_error(tmp_path):
    from pipeline.attribution import CuesError, load_cues

    d = json.loads((ROOT / "models" / "cues.json").read_text(encoding="utf-8"))
    del d["person_roles"]
    p = tmp_path / "cues.json"
    p.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(CuesError, match="person_roles"):
        load_cues(str(p))


def test_the_factory_declares_what_it_assigns_and_requires(nlp):
    meta = nlp.get_pipe_meta("claim_attribution")
    assert "doc._.attributions" in meta.assigns and "doc._.quantities" in meta.requires


def _imports(path: Path, package: str) -> set[str]:
    """The pipeline modules a module imports, at any level of its code."""
    mod = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    if path.name == "__init__.py":
        mod = mod.rsplit(".", 1)[0]
        pkg = mod
    else:
        pkg = mod.rsplit(".", 1)[0]
    out = set()
    for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(n, ast.ImportFrom):
            base = pkg
            for _ in range(max(0, n.level - 1)):
                base = base.rsplit(".", 1)[0]
            name = n.module or ""
            full = (base + "." + name if name else base) if n.level else name
            if full.startswith(package):
                out.add(full)
                out |= {f"{full}.{a.name}" for a in n.names}
        elif isinstance(n, ast.Import):
            out |= {a.name for a in n.names if a.name.startswith(package)}
    return out


def test_no_import_circle_through_the_attribution_package():
    modules = {}
    for p in (ROOT / "pipeline").rglob("*.py"):
        name = ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        modules[name] = p
    graph = {m: {i for i in _imports(p, "pipeline") if i in modules and i != m} for m, p in modules.items()}

    # a package's modules count as the package: pipeline.attribution.x -> pipeline.linker -> pipeline.attribution
    def unit(m):
        return "pipeline.attribution" if m.startswith("pipeline.attribution") else m

    edges = {}
    for m, deps in graph.items():
        edges.setdefault(unit(m), set()).update(unit(d) for d in deps if unit(d) != unit(m))
    seen, stack = set(), []

    def visit(m):
        if m in stack:
            return stack[stack.index(m) :] + [m]
        if m in seen:
            return None
        seen.add(m)
        stack.append(m)
        for d in sorted(edges.get(m, ())):
            found = visit(d)
            if found and "pipeline.attribution" in found:
                return found
        stack.pop()
        return None

    assert visit("pipeline.attribution") is None
    # and inside the package, between its modules
    inner = {
        m: {d for d in deps if d.startswith("pipeline.attribution.")}
        for m, deps in graph.items()
        if m.startswith("pipeline.attribution.")
    }
    done: set[str] = set()

    def acyclic(m, path):
        assert m not in path, " -> ".join(path + [m])
        if m in done:
            return
        for d in inner.get(m, ()):
            acyclic(d, path + [m])
        done.add(m)

    for m in inner:
        acyclic(m, [])


def test_the_linker_reads_the_attribution_through_its_public_interface():
    src = (ROOT / "pipeline" / "linker.py").read_text(encoding="utf-8")
    assert "att._" not in src and "attributor._" not in src
