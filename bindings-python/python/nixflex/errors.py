"""The exception classes (also importable from ``nixflex`` itself)."""

from ._errors import *  # noqa: F403
from ._errors import __all__ as __all__
