"""Which files a run reads: directories walked recursively and sorted, and what becomes of every other entry.

Sorted walking makes runs deterministic (same inputs, same output files). Every entry met while
walking is accounted for: a regular file is read, and anything else is listed in the manifest as
``skipped`` or ``failed`` with its reason (:class:`Unread`), never silently dropped:

* hidden entries (``.x``) and Office lock files (``~$x.docx``): skipped;
* companion files (notes, data, code that sit beside documents but are never a bureau's
  publication, :data:`COMPANION_SUFFIXES`): skipped, so a README does not turn into findings;
* FIFOs, sockets and devices (also through a link): skipped, never opened (opening a FIFO blocks);
* symbolic links whose target lies outside every input folder: skipped unless ``follow_links``
  (``-> /etc/passwd`` must not land in the frames); dangling links and link loops: failed;
* a second name for a file already listed (a hard or symbolic link): skipped, naming the first;
* a directory that cannot be listed: failed with the system's reason.

A file named explicitly is always read, even a missing one (it fails in the manifest). Names that
are not valid text (GBK bytes from an archive unzipped on Linux) are read under their real name and
shown with ``\\xNN`` escapes (:func:`printable`), so manifests and frames stay valid UTF-8.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

HIDDEN_PREFIX = "."
LOCK_PREFIX = "~$"  # Office lock files
SKIPPED_PREFIXES = (HIDDEN_PREFIX, LOCK_PREFIX)
COMPANION_SUFFIXES = frozenset(
    {".md", ".markdown", ".rst", ".parquet", ".json", ".jsonl", ".py", ".ipynb", ".yml", ".yaml", ".toml",
     ".log", ".sha256", ".md5", ".lock"}
)
COMPANION_REASON = "companion file (not a bureau document format); name it explicitly to read it"
HIDDEN_REASON = "hidden entry (name starts with '.'); name it explicitly to read it"
LOCK_REASON = "Office lock file (~$ name, written while a document is open); not a document"
OUTSIDE_REASON = "symbolic link to a target outside the input folders; not followed (use --follow-links)"

_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "named pipe (FIFO)"),
    (stat.S_ISSOCK, "socket"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
)


@dataclass(slots=True, frozen=True)
class Unread:
    """An entry met while walking that is listed in the manifest but not read."""

    path: Path
    shown: str
    status: str  # skipped | failed
    reason: str


def _escaped(part: str) -> str:
    try:
        part.encode("utf-8")
        return part
    except UnicodeEncodeError:  # every non-ASCII byte escaped: half-decoded GBK would read as wrong characters
        return "".join(chr(b) if b < 0x80 else f"\\x{b:02x}" for b in os.fsencode(part))


def printable(name: str | os.PathLike[str]) -> str:
    """``name`` as valid text: a path part that is not UTF-8 (kept by Python as surrogates) has its
    non-ASCII bytes written ``\\xNN``; valid parts are unchanged."""
    text = os.fspath(name)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return os.sep.join(_escaped(part) for part in text.split(os.sep))


def _special_kind(mode: int) -> str | None:
    return next((kind for test, kind in _SPECIAL_KINDS if test(mode)), None)


def _inside(real: str, roots: Sequence[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


class _Walk:
    def __init__(self, roots: Sequence[str], follow_links: bool, unread: list[Unread] | None):
        self.roots = roots
        self.follow_links = follow_links
        self.unread = unread
        self.found: list[tuple[Path, str]] = []
        self.first_shown: dict[str, str] = {}  # real path -> shown path of the first name listed
        self.dirs_seen: set[str] = set()

    def skip(self, path: Path, status: str, reason: str) -> None:
        log.debug("%s %s: %s", status, printable(path), reason)
        if self.unread is not None:
            self.unread.append(Unread(path, printable(path), status, reason))

    def add(self, path: Path, shown: str, *, explicit: bool = False) -> None:
        key = os.path.realpath(path)
        if key in self.first_shown:
            if not explicit:
                self.skip(path, "skipped", f"same file as {self.first_shown[key]} (another name for it); read once")
            return
        self.first_shown[key] = shown
        self.found.append((path, shown))

    def link_problem(self, path: Path) -> tuple[str, str] | None:
        """(status, reason) when the symbolic link ``path`` must not be followed."""
        try:
            os.stat(path)
        except FileNotFoundError:
            return "failed", f"dangling symbolic link (its target {printable(os.readlink(path))} does not exist)"
        except OSError as exc:
            if exc.errno == 40 or "loop" in str(exc).lower():  # ELOOP
                return "failed", "symbolic link loop (the link points back to itself)"
            return "failed", f"symbolic link cannot be followed: {exc.strerror or exc}"
        if not self.follow_links and not _inside(os.path.realpath(path), self.roots):
            return "skipped", OUTSIDE_REASON
        return None

    def walk(self, directory: Path) -> None:
        real = os.path.realpath(directory)
        if real in self.dirs_seen:
            self.skip(directory, "skipped", "directory already walked (a link leads back into it)")
            return
        self.dirs_seen.add(real)
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            self.skip(directory, "failed", f"directory cannot be listed: {exc.strerror or exc}")
            return
        subdirs: list[Path] = []
        for entry in entries:  # files first, then sub-directories: the order runs have always had
            path = Path(entry.path)
            name = entry.name
            if name.startswith(HIDDEN_PREFIX):
                self.skip(path, "skipped", HIDDEN_REASON)
                continue
            if name.startswith(LOCK_PREFIX):
                self.skip(path, "skipped", LOCK_REASON)
                continue
            if entry.is_symlink() and (problem := self.link_problem(path)) is not None:
                self.skip(path, *problem)
                continue
            try:
                mode = entry.stat(follow_symlinks=True).st_mode
            except OSError as exc:
                self.skip(path, "failed", f"cannot be examined: {exc.strerror or exc}")
                continue
            if stat.S_ISDIR(mode):
                subdirs.append(path)
            elif (kind := _special_kind(mode)) is not None:
                self.skip(path, "skipped", f"{kind}, not a regular file; not opened")
            elif path.suffix.lower() in COMPANION_SUFFIXES:
                self.skip(path, "skipped", COMPANION_REASON)
            else:
                self.add(path, printable(path))
        for sub in subdirs:
            self.walk(sub)


def collect_files(
    inputs: Sequence[Path | str],
    unread: list[Unread] | None = None,
    *,
    follow_links: bool = False,
) -> list[tuple[Path, str]]:
    """Every file to read under ``inputs`` as (path, display path): directories walked recursively, sorted.

    Files named explicitly are always kept (even missing ones: they fail in the manifest); every other
    entry met while walking goes to ``unread`` (when given) with its status and reason. Links out of
    the input folders are followed only with ``follow_links``.
    """
    roots = [os.path.realpath(p) for p in inputs if Path(p).is_dir()]
    walk = _Walk(roots, follow_links, unread)
    for given in inputs:
        root = Path(given)
        if root.is_dir():
            walk.walk(root)
        else:
            walk.add(root, printable(given), explicit=True)
    return walk.found


def size_or_zero(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def unread_row(entry: Unread) -> dict:
    """The manifest row of an entry listed, not read (its size when it is a regular file)."""
    try:
        mode = os.lstat(entry.path).st_mode
        size = entry.path.stat().st_size if stat.S_ISREG(mode) else None
    except OSError:
        size = None
    suffix = entry.path.suffix.lower().lstrip(".")
    return {
        "path": entry.shown, "sha256": None, "format": printable(suffix) or None, "size_bytes": size,
        "status": entry.status, "reason": entry.reason, "seconds": 0.0,
    }


def companion_row(entry: Unread | Path, shown: str | None = None) -> dict:
    """The manifest row of an unread entry (kept under its former name: a companion file was the first kind)."""
    if not isinstance(entry, Unread):
        entry = Unread(Path(entry), shown or printable(entry), "skipped", COMPANION_REASON)
    return unread_row(entry)
