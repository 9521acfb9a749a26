"""Follow-up and evaluation: indicators, quarterly reports to residents, evaluation."""

from .evaluation import *  # noqa: F403
from .indicators import *  # noqa: F403
from .quarterly import *  # noqa: F403
