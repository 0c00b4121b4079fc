"""Type stubs for copydesk's extension module (re-exported by ``copydesk``)."""

import os
from typing import Iterable, List, Literal, Mapping, Optional, Sequence, Union, final

_Path = Union[str, os.PathLike[str]]

__version__: str

@final
class Edit:
    """One change copydesk made or proposes."""

    @property
    def rule(self) -> str:
        """The id of the rule (or pass rule) that produced it."""
    @property
    def level(self) -> Literal["fix", "suggest", "flag"]:
        """``fix`` (applied by default), ``suggest`` (on request), ``flag`` (never)."""
    @property
    def start(self) -> int:
        """Start, in characters (code points) of the input."""
    @property
    def end(self) -> int:
        """End (exclusive), in characters of the input: ``text[start:end] == before``."""
    @property
    def before(self) -> str:
        """The input text the edit covers."""
    @property
    def after(self) -> Optional[str]:
        """The replacement; None for a flag that proposes nothing."""
    @property
    def message(self) -> str:
        """Why the rule exists."""
    @property
    def applied(self) -> bool:
        """Whether the edit is part of the cleaned text."""

@final
class Result:
    """What cleaning one text gave."""

    @property
    def text(self) -> str:
        """The cleaned text (the input object itself when nothing changed)."""
    @property
    def changed(self) -> bool:
        """Whether the text changed."""
    @property
    def edits(self) -> List[Edit]:
        """Every edit, applied or not, in input order."""

@final
class Cleaner:
    """Rule packs and options, loaded and compiled once, for any number of texts.

    ``rules``: a rule pack file or an iterable of them, loaded after the
    default packs (``default_rules=False`` leaves those out). ``config``: a
    ``.copydesk.yaml`` read as ``copydesk --config`` reads it. ``options``:
    pass options as ``--set`` takes them (``{"quotes.style": "straight"}``;
    booleans mean ``on``/``off``). ``disable``: rule, pack or pass ids to
    switch off. ``apply_suggestions``: apply ``suggest`` edits too.
    ``lang``: a language tag (``"fr"``, ``"de-CH"``) to read every text
    as that language instead of detecting it, as ``copydesk --lang`` does;
    ValueError for one that names no language.

    Raises ``copydesk.RulePackError`` for a pack or config that cannot be
    loaded, ValueError for a bad option.
    """

    def __new__(
        cls,
        rules: Union[_Path, Iterable[_Path], None] = None,
        config: Optional[_Path] = None,
        default_rules: bool = True,
        options: Optional[Mapping[str, Union[str, bool]]] = None,
        *,
        apply_suggestions: bool = False,
        disable: Optional[Sequence[str]] = None,
        lang: Optional[str] = None,
    ) -> "Cleaner": ...
    def clean(self, text: str) -> Result:
        """Cleans one text (the GIL is released while it runs)."""
    def check(self, text: str) -> List[Edit]:
        """Every finding in ``text``, applied or not; nothing is changed."""
    def clean_many(self, texts: Iterable[str], threads: Optional[int] = None) -> List[Result]:
        """Cleans every text in parallel with the GIL released; results in input order.

        ``threads``: how many threads (default: one per core).
        """
    def score(self, text: str) -> float:
        """The spun-article score: spinner hits per 1,000 words."""
    def rule_ids(self) -> List[str]:
        """The ids of every rule the packs hold."""

def run_cli(argv: Sequence[str]) -> int:
    """Runs the copydesk command line (program name first); returns the exit status."""
