"""Roster names and the one matcher that finds them, shared by the confidentiality gate and review.

Below the stages (it imports only `sources` and `project`): the gate (`confidentiality`) and
review (`review.redact`) both import it, neither imports the other.
"""

from .matcher import GENERIC, RosterNames, Term, mask
from .normalise import decode, fold, words

__all__ = ["GENERIC", "RosterNames", "Term", "decode", "fold", "mask", "words"]
