"""The API's objects as ``TypedDict``s, for annotations: ``from nixflex.types import Agent``."""

from ._types import *  # noqa: F403
from ._types import __all__ as __all__
