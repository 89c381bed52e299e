"""The ``mutate`` command: mutants with one injected fault each, the originals, and the labels.

Two passes over the documents, each in parallel over files:

1. read every original with the loaders and extractors (its frames say what can be mutated,
   its long paragraphs are the donors for the copied-paragraph fault in *other* documents);
2. per document, faults in a seeded order: the planner proposes candidates from the frames, the
   format's editor applies the first one it can place in the source; a mutant is re-read and
   kept only when it loads with the original's status and shows the change. Where no
   candidate can be placed in place, the document is re-rendered with the edit
   (``edit_mode = re-rendered``) next to a re-rendered copy of the unmutated original.

Same inputs and seed, same mutants and labels.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import pickle
import random
import re
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from toolkit.extract.document_row import issue_status
from toolkit.model import Limits, RawDocument
from toolkit.mutate.claim_faults import CLAIM_PLANNERS
from toolkit.mutate.edits import DeleteTable, Edit, EditError, replacements
from toolkit.mutate.faults import FAULTS
from toolkit.mutate.labels import labels_frame, truth_frame
from toolkit.mutate.peer_faults import PEER_PLANNERS
from toolkit.mutate.planner import PLANNERS as _PLANNERS
from toolkit.mutate.planner import Context, Plan, plans_for
from toolkit.mutate.rerender import apply_block_edits, render_format, write_rendered
from toolkit.mutate.spans import compact

log = logging.getLogger(__name__)

REAL = "real-layout"
RERENDERED = "re-rendered"
CANDIDATES_PER_FAULT = 6
# Tables without a template are rarer than templated ones, so candidates are looked for further and,
# in a seeded half of the documents, tried first: the sample then holds both kinds of table.
CANDIDATE_POOL = 4 * CANDIDATES_PER_FAULT
DONOR_MIN_CHARS = 80

# the planners of every fault: over frames (planner), the text's claims (claim_faults), peer line items
PLANNERS = {**_PLANNERS, **CLAIM_PLANNERS, **PEER_PLANNERS}


@dataclass(slots=True)
class Original:
    index: int
    path: str  # as given
    name: str  # file name inside the corpus: NNN_<stem>.<ext>
    fmt: str
    status: str
    bureau: str | None
    fiscal_year: int | None
    doc_type: str | None
    cache: str  # pickle of (raw, frames)
    applicable: tuple[str, ...] = ()  # faults with at least one candidate in this document


# --------------------------------------------------------------------------- pass 1: originals


def _safe_stem(path: str) -> str:
    stem = re.sub(r"[^\w\u4e00-\u9fff.-]+", "_", Path(path).stem).strip("_")
    return stem[:60] or "doc"


def _applicable(frames: dict, fiscal_year: int | None, bureau: str | None,
                untemplated: bool = False) -> tuple[str, ...]:
    ctx = Context(fiscal_year, bureau, ["(donor)"], untemplated_only=untemplated)
    out = []
    for name, planner in PLANNERS.items():
        try:
            if next(plans_for(planner, frames, ctx), None) is not None:
                out.append(name)
        except Exception:  # noqa: BLE001 - a planner bug: the fault is not applicable here
            log.debug("planner %s failed", name, exc_info=True)
    return tuple(out)


def _read_original(args: tuple[int, str, str, bool]) -> tuple[Original | None, list[str]]:
    from toolkit.loaders import load_path
    from toolkit.worker import _extract, document_id_for

    index, path, cache_dir, untemplated = args
    raw = load_path(Path(path), Limits(), display_path=path)
    sha = raw.meta.get("sha256")
    size = int(raw.meta["size_bytes"]) if raw.meta.get("size_bytes") else None
    if raw.failed or not sha:
        return None, []
    try:
        frames = _extract(raw, document_id_for(sha, path, size), sha, size)
    except Exception:  # noqa: BLE001 - an extraction bug fails this document only
        log.warning("extraction failed on %s; not mutated", path, exc_info=True)
        return None, []
    docs = frames["documents"].to_dicts()[0] if frames.get("documents") is not None else {}
    status = docs.get("status") or issue_status(raw.issues)
    cache = str(Path(cache_dir) / f"{index:04d}.pkl")
    with open(cache, "wb") as fh:
        pickle.dump((raw, frames), fh)
    suffix = Path(path).suffix.lower() or f".{raw.format}"
    orig = Original(index, path, f"{index:03d}_{_safe_stem(path)}{suffix}", raw.format, status,
                    docs.get("bureau"), docs.get("fiscal_year"), docs.get("doc_type"), cache,
                    _applicable(frames, docs.get("fiscal_year"), docs.get("bureau"), untemplated))
    passages = frames.get("passages")
    donors = []
    if passages is not None and passages.height:
        long = passages.filter(pl.col("text").str.len_chars() >= DONOR_MIN_CHARS).sort("order")
        donors = long["text"].head(2).to_list()
    return orig, donors


# --------------------------------------------------------------------------- pass 2: mutants


def apply_in_place(data: bytes, fmt: str, edits: list[Edit], cache: dict | None = None) -> bytes:
    if fmt in ("txt", "csv", "html"):
        from toolkit.mutate.text_editor import apply_text_edits

        return apply_text_edits(data, fmt, edits)
    if fmt == "docx":
        from toolkit.mutate.ooxml_editor import apply_docx_edits

        return apply_docx_edits(data, edits)
    if fmt == "xlsx":
        from toolkit.mutate.ooxml_editor import apply_xlsx_edits

        return apply_xlsx_edits(data, edits)
    if fmt == "pdf":
        from toolkit.mutate.pdf_editor import apply_pdf_edits

        return apply_pdf_edits(data, edits, cache)
    raise EditError(f"{fmt} cannot be edited in place")


def _raw_text(raw: RawDocument, page: int | None = None) -> str:
    parts = []
    for b in raw.blocks:
        if page is not None and b.page is not None and b.page != page:
            continue
        if b.kind == "para":
            parts.append(b.text)
        elif b.table is not None:
            parts.extend(c for row in b.table.rows for c in row if c)
    return compact("\n".join(parts))


def _expected(plan: Plan) -> tuple[list[str], list[str]]:
    """(texts the mutant must show, texts it must no longer show) for the re-read check."""
    edits = plan.alternatives[0]
    if any(isinstance(e, DeleteTable) for e in edits):
        return [], [compact(plan.original_value)]
    reps = [r for e in edits for r in (replacements(e) or [])]
    if reps:
        return [compact(r.new) for r in reps if compact(r.new)], []
    return [], []


def _verify(data: bytes, fmt: str, orig: Original, raw: RawDocument, plan: Plan, mode: str,
            baseline: RawDocument | None = None) -> tuple[bool, str, str]:
    """(kept, mutant status, note): the mutant loads with the original's status and shows the change.

    ``baseline`` is what the mutant's tables are compared with (the re-rendered original, for a
    re-rendered mutant); by default the original as read."""
    from toolkit.loaders import load_bytes

    must, gone = _expected(plan)
    table_type = plan.extra.get("table_type")
    if table_type and _table_type_survives(data, orig, baseline or raw, table_type):
        # A title edited away while the sheet tab or the header still names the table is no
        # missing table: a finding would be false, so this is not a mutant of that fault.
        return False, orig.status, f"the table is still recognised as {plan.extra['table_type']}"
    if fmt == "pdf" and mode == REAL and plan.page and not gone:
        return _verify_pdf_page(data, orig, plan, must)
    mutant = load_bytes(data, orig.path, Limits())
    status = "failed" if mutant.failed else issue_status(mutant.issues)
    if mutant.failed:
        return False, status, "mutant unreadable"
    text = _raw_text(mutant)
    if not all(m in text for m in must) or any(g and g in text and g in _raw_text(raw) and
                                               text.count(g) >= _raw_text(raw).count(g) for g in gone):
        return False, status, "the change does not read back"
    if text == _raw_text(raw):
        return False, status, "the mutant reads the same as the original"
    note = "" if status == orig.status else f"status {orig.status} -> {status}"
    return True, status, note


def _tables_of_type(raw: RawDocument, table_type: str) -> int:
    from toolkit.extract.document import extract_document

    frames = extract_document(raw, document_id="mutant", path=raw.path, sha256="", size_bytes=0)
    tables = frames.get("tables")
    return 0 if tables is None or tables.is_empty() else tables.filter(pl.col("table_type") == table_type).height


def _table_type_survives(data: bytes, orig: Original, raw: RawDocument, table_type: str) -> bool:
    """The mutant still holds as many tables recognised as ``table_type`` as the original."""
    from toolkit.loaders import load_bytes

    mutant = load_bytes(data, orig.path, Limits())
    if mutant.failed:
        return False
    return _tables_of_type(mutant, table_type) >= _tables_of_type(raw, table_type)


def _page_pieces(data: bytes, page: int) -> list[str]:
    """Paragraphs and cells of one PDF page, in order, as the PDF loader reads them."""
    import io

    import pdfplumber

    from toolkit.loaders.pdf import _read_page

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        blocks = _read_page(pdf.pages[page - 1]).blocks
    out = []
    for b in blocks:
        if b.kind == "para":
            out.append(compact(b.text))
        elif b.table is not None:
            out.extend(compact(c or "") for row in b.table.rows for c in row)
    return out


def _verify_pdf_page(data: bytes, orig: Original, plan: Plan, must: list[str]) -> tuple[bool, str, str]:
    """The edited page re-read with the loader's page reader (a whole-PDF read per mutant is too
    slow): the same layout, and exactly the edited paragraphs/cells changed, showing the new text."""
    try:
        before = _page_pieces(Path(orig.path).read_bytes(), plan.page)
        after = _page_pieces(data, plan.page)
    except Exception as exc:  # noqa: BLE001 - pdfplumber cannot read the edited file
        return False, "failed", f"pdf unreadable after the edit: {type(exc).__name__}"
    if len(before) != len(after):
        return False, orig.status, "the edited page reads with another layout"
    changed = [b for a, b in zip(before, after, strict=True) if a != b]
    n_reps = sum(len(replacements(e) or []) for e in plan.alternatives[0])
    if not changed or len(changed) > n_reps or not all(any(m in c for m in must) for c in changed):
        return False, orig.status, "the edited page does not read back the injected text where expected"
    return True, orig.status, ""


def _label(orig: Original, plan: Plan, rel: str, original_rel: str, mode: str, status: str, note: str) -> dict:
    fault = FAULTS[plan.fault]
    picked = [r for e in plan.alternatives[0] for r in (replacements(e) or []) if r.occurrence is not None]
    if picked:
        r = picked[0]
        extra = f"the number is printed in {r.expected} cells of the page; the {r.occurrence + 1}. in table order was edited"
        note = f"{note}; {extra}" if note else extra
    return {
        "document": rel, "doc_type": orig.doc_type, "bureau": orig.bureau, "fiscal_year": orig.fiscal_year,
        "category": fault.category, "kind": fault.kind, "location": plan.location,
        "injected_value": plan.injected_value, "original_value": plan.original_value,
        "description": plan.description, "fault": plan.fault, "tokens": list(plan.tokens),
        "table_id": plan.table_id, "page": plan.page, "sheet": plan.sheet, "templated": plan.templated,
        "source_format": orig.fmt, "edit_mode": mode, "original_document": original_rel, "source": orig.path,
        "status_original": orig.status, "status_mutant": status, "note": note or None,
    }


def _fault_order(orig: Original, kinds: list[str], seed: int, per_doc: int) -> list[str]:
    """One seeded order for the run, rotated by the document's index: consecutive documents start
    with different faults, so every fault gets tried first somewhere even at a small ``per_doc``."""
    order = list(kinds)
    random.Random(f"{seed}-faults").shuffle(order)
    k = (orig.index * max(1, per_doc)) % max(1, len(order))
    return order[k:] + order[:k]


def assign_faults(originals: list[Original], kinds: list[str], per_doc: int, seed: int) -> dict[int, list[str]]:
    """Which faults each document tries first: the faults that apply to the fewest documents are
    handed out first, each to the applicable document with the fewest so far (ties by the seeded
    order), so a fault that only a few documents allow still gets its mutants."""
    order = list(kinds)
    random.Random(f"{seed}-faults").shuffle(order)
    rank = {f: i for i, f in enumerate(order)}
    docs_for = {f: [o for o in originals if f in o.applicable] for f in kinds}
    given: dict[int, list[str]] = {o.index: [] for o in originals}
    rounds = 0
    while rounds < per_doc:
        rounds += 1
        for f in sorted(kinds, key=lambda f: (len(docs_for[f]), rank[f])):
            free = [o for o in docs_for[f] if len(given[o.index]) < per_doc and f not in given[o.index]]
            if free:
                pick = min(free, key=lambda o: (len(given[o.index]), (o.index * 7 + rank[f]) % max(1, len(originals))))
                given[pick.index].append(f)
    return given


def _candidates(plans: list[Plan], untemplated_first: bool) -> list[Plan]:
    """The first candidates to try, un-templated tables first when asked (stable otherwise)."""
    if untemplated_first:
        plans = sorted(plans, key=lambda p: p.templated is not False)
    return plans[:CANDIDATES_PER_FAULT]


def _mutate_one(args: tuple[Original, str, list[str], int, int, list[str], list[str], bool]
                ) -> tuple[list[dict], list[dict]]:
    orig, out_dir, kinds, per_doc, seed, donors, first, untemplated = args
    out = Path(out_dir)
    with open(orig.cache, "rb") as fh:
        raw, frames = pickle.load(fh)
    data = Path(orig.path).read_bytes()
    original_rel = f"originals/{orig.name}"
    ctx = Context(orig.fiscal_year, orig.bureau, donors, untemplated_only=untemplated)
    labels: list[dict] = []
    truth: list[dict] = []
    rerendered_rel: str | None = None
    stem, suffix = Path(orig.name).stem, Path(orig.name).suffix
    cache: dict = {}  # the source parsed once for all candidates (PDF pages)
    rest = [f for f in _fault_order(orig, kinds, seed, per_doc) if f not in first]
    untemplated_first = random.Random(seed * 7919 + orig.index).random() < 0.5
    for fault in list(first) + rest:
        if len(labels) >= per_doc:
            break
        try:
            plans = []
            for plan in plans_for(PLANNERS[fault], frames, ctx):
                plans.append(plan)
                if len(plans) >= CANDIDATE_POOL:
                    break
            plans = _candidates(plans, untemplated_first)
        except Exception:  # noqa: BLE001 - a planner bug skips the fault, never the run
            log.warning("planner %s failed on %s", fault, orig.path, exc_info=True)
            continue
        made = _try_in_place(orig, raw, data, plans, out, stem, suffix, original_rel, cache)
        if made is None:
            made = _try_rerender(orig, raw, plans, out, stem)
            if made is not None and rerendered_rel is None:
                rerendered_rel = f"rerendered/{stem}.{render_format(orig.fmt)}"
                write_rendered(raw.blocks, out / rerendered_rel, orig.fmt)
                truth.append({"document": rerendered_rel, "original_document": original_rel, "source": orig.path,
                              "clean": True, "bureau": orig.bureau, "fiscal_year": orig.fiscal_year,
                              "format": render_format(orig.fmt), "edit_mode": RERENDERED, "status": orig.status})
        if made is None:
            continue
        plan, rel, mode, status, note = made
        base = original_rel if mode == REAL else rerendered_rel
        labels.append(_label(orig, plan, rel, base, mode, status, note))
        truth.append({"document": rel, "original_document": base, "source": orig.path, "clean": False,
                      "bureau": orig.bureau, "fiscal_year": orig.fiscal_year, "format": Path(rel).suffix[1:],
                      "edit_mode": mode, "status": status})
    return labels, truth


def _try_in_place(orig, raw, data, plans, out, stem, suffix, original_rel, cache):
    if orig.fmt == "xls":
        return None
    for plan in plans:
        for edits in plan.alternatives:
            try:
                mutated = apply_in_place(data, orig.fmt, edits, cache)
            except EditError as exc:
                log.debug("%s on %s: %s", plan.fault, orig.path, exc)
                continue
            except Exception:  # noqa: BLE001 - an editor bug: try the next candidate
                log.warning("editor failed: %s on %s", plan.fault, orig.path, exc_info=True)
                continue
            plan.alternatives = [edits]
            ok, status, note = _verify(mutated, orig.fmt, orig, raw, plan, REAL)
            if not ok:
                log.debug("%s on %s rejected: %s", plan.fault, orig.path, note)
                continue
            rel = f"mutants/{stem}__{plan.fault}{suffix}"
            (out / rel).parent.mkdir(parents=True, exist_ok=True)
            (out / rel).write_bytes(mutated)
            return plan, rel, REAL, status, note
    return None


def _rendered_baseline(raw: RawDocument, orig: Original, stem: str) -> RawDocument:
    """The original re-rendered without an edit, read back: what a re-rendered mutant is compared with."""
    from toolkit.loaders import load_path

    with tempfile.TemporaryDirectory() as tmp:
        path = write_rendered(raw.blocks, Path(tmp) / f"{stem}.{render_format(orig.fmt)}", orig.fmt)
        return load_path(path, Limits(), display_path=orig.path)


def _try_rerender(orig, raw, plans, out, stem):
    fmt = render_format(orig.fmt)
    baseline: RawDocument | None = None
    for plan in plans:
        for edits in plan.alternatives:
            try:
                blocks = apply_block_edits(raw, edits)
            except EditError:
                continue
            rel = f"mutants/{stem}__{plan.fault}.{fmt}"
            try:
                path = write_rendered(blocks, out / rel, orig.fmt)
            except Exception:  # noqa: BLE001 - a document the renderer cannot lay out skips the candidate, never the run
                log.warning("re-render failed: %s on %s", plan.fault, orig.path, exc_info=True)
                (out / rel).unlink(missing_ok=True)
                continue
            plan.alternatives = [edits]
            if plan.extra.get("table_type") and baseline is None:
                baseline = _rendered_baseline(raw, orig, stem)
            ok, status, note = _verify(path.read_bytes(), fmt, orig, _rendered_original(raw, orig), plan, RERENDERED,
                                       baseline)
            if not ok:
                path.unlink(missing_ok=True)
                continue
            why = "re-rendered: the edit cannot be placed in the source" + (
                " (XLS is not written in place)" if orig.fmt == "xls" else "")
            return plan, rel, RERENDERED, status, f"{why}; {note}" if note else why
    return None


def _rendered_original(raw: RawDocument, orig: Original) -> RawDocument:
    return raw  # the text comparison only needs what the loader read; layout does not matter here


# --------------------------------------------------------------------------- entry


def collect_inputs(inputs: list[Path]) -> list[str]:
    """Document files under ``inputs`` (companion files skipped), first of each content. The loop's own
    reviewed verdicts (``datasets/quality/verdicts``) quote the documents, so they are not inputs."""
    from toolkit.inputs import collect_files
    from toolkit.mutate.verdicts import DEFAULT_DIR

    verdicts_dir = DEFAULT_DIR.resolve()
    seen: set[str] = set()
    out = []
    for path, _shown in collect_files(inputs):
        if Path(path).resolve().is_relative_to(verdicts_dir):
            continue
        try:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        except OSError:
            continue
        if digest in seen:
            continue
        seen.add(digest)
        out.append(str(path))
    return out


def _pick_donor(orig: Original, pool: list[tuple[Original, list[str]]]) -> list[str]:
    others = [(o, d) for o, d in pool if o.index != orig.index and d and o.bureau != orig.bureau]
    if not others:
        return []
    o, d = others[orig.index % len(others)]
    return d[:1]


def mutate(inputs: list[Path], out: Path, *, kinds: list[str], per_doc: int = 4, seed: int = 0,
           workers: int = 2, untemplated: bool = False) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Write originals, mutants, labels.parquet and truth.parquet under ``out``; return (labels, truth).

    With ``untemplated``, table faults are planted only in tables of no recognised type (and faults
    that are not table faults are left out)."""
    out = Path(out)
    for sub in ("originals", "mutants", "rerendered"):
        shutil.rmtree(out / sub, ignore_errors=True)
    (out / "originals").mkdir(parents=True, exist_ok=True)
    files = collect_inputs(inputs)
    with tempfile.TemporaryDirectory() as cache_dir, ProcessPoolExecutor(
            max_workers=max(1, workers), mp_context=multiprocessing.get_context("spawn")) as pool:
        read = list(pool.map(_read_original, [(i, p, cache_dir, untemplated) for i, p in enumerate(files)]))
        originals = [(o, d) for o, d in read if o is not None]
        first = assign_faults([o for o, _ in originals], kinds, per_doc, seed)
        jobs = [(o, str(out), kinds, per_doc, seed, _pick_donor(o, originals), first[o.index], untemplated)
                for o, _ in originals]
        results = list(pool.map(_mutate_one, jobs))
    labels: list[dict] = []
    truth: list[dict] = []
    for (orig, _), (lab, tru) in zip(originals, results, strict=True):
        shutil.copyfile(orig.path, out / "originals" / orig.name)
        truth.append({"document": f"originals/{orig.name}", "original_document": f"originals/{orig.name}",
                      "source": orig.path, "clean": True, "bureau": orig.bureau, "fiscal_year": orig.fiscal_year,
                      "format": orig.fmt, "edit_mode": "original", "status": orig.status})
        labels.extend(lab)
        truth.extend(tru)
    labels_df, truth_df = labels_frame(labels), truth_frame(truth)
    labels_df.write_parquet(out / "labels.parquet")
    truth_df.write_parquet(out / "truth.parquet")
    return labels_df, truth_df
