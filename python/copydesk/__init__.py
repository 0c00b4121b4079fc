"""Clean scraped news text: spun phrases, mojibake, quotes, dashes, spacing.

The module runs copydesk's Rust engine in process::

    >>> import copydesk
    >>> result = copydesk.clean("The strike violated global law.")
    >>> result.text
    'The strike violated international law.'
    >>> [(e.rule, e.start, e.end) for e in result.edits]
    [('global-law', 20, 30)]

:func:`clean`, :func:`check` and :func:`score` use the default packs (and
build the packs they are given on every call); a :class:`Cleaner` loads its
packs once and cleans any number of texts, many at a time with
:meth:`Cleaner.clean_many`. Edit offsets count characters (code points) of
the input, so ``text[edit.start:edit.end] == edit.before``.
"""

from __future__ import annotations

import functools
import os
from typing import Iterable, List, Optional, Union

from ._copydesk import Cleaner, Edit, Result, __version__
from ._errors import RulePackError

__all__ = [
    "Cleaner",
    "Edit",
    "Result",
    "RulePackError",
    "check",
    "clean",
    "score",
    "__version__",
]

PathLike = Union[str, "os.PathLike[str]"]


@functools.lru_cache(maxsize=8)
def _default(apply_suggestions: bool, lang: Optional[str]) -> Cleaner:
    return Cleaner(apply_suggestions=apply_suggestions, lang=lang)


def _cleaner(
    rules: Union[PathLike, Iterable[PathLike], None],
    config: Optional[PathLike],
    apply_suggestions: bool,
    lang: Optional[str],
) -> Cleaner:
    if rules is None and config is None:
        return _default(apply_suggestions, lang)
    return Cleaner(rules, config, apply_suggestions=apply_suggestions, lang=lang)


def clean(
    text: str,
    *,
    rules: Union[PathLike, Iterable[PathLike], None] = None,
    config: Optional[PathLike] = None,
    apply_suggestions: bool = False,
    lang: Optional[str] = None,
) -> Result:
    """Clean ``text`` with the default packs (plus ``rules``, or as the
    ``config`` file says) and return a :class:`Result`.

    ``rules`` is a rule pack file or a list of them; ``config`` a
    ``.copydesk.yaml`` (no config is looked for otherwise). With
    ``apply_suggestions`` the ``suggest`` edits are applied as well as the
    fixes. ``lang``: a language tag (``"fr"``, ``"de-CH"``) to read the
    text as that language instead of detecting it; one that names no language
    raises ValueError. Raises :class:`RulePackError` for a pack or config that
    cannot be loaded. For many texts, build a :class:`Cleaner` once.
    """
    return _cleaner(rules, config, apply_suggestions, lang).clean(text)


def check(
    text: str,
    *,
    rules: Union[PathLike, Iterable[PathLike], None] = None,
    config: Optional[PathLike] = None,
    apply_suggestions: bool = False,
    lang: Optional[str] = None,
) -> List[Edit]:
    """Every finding in ``text`` (fixes, suggestions, flags) as a list of
    :class:`Edit`; nothing is applied. Arguments as for :func:`clean`;
    ``Edit.applied`` tells which edits :func:`clean` would apply.
    """
    return _cleaner(rules, config, apply_suggestions, lang).check(text)


def score(text: str) -> float:
    """The spun-article score of ``text`` with the default packs: edits of
    the spinner packs (``spun-phrases``, ``entity-names``) per 1,000 words.
    From 1.0 up, ``copydesk check --stats`` calls a text spun.
    """
    return _default(False, None).score(text)
