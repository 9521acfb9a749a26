"""Haninge's medborgarlöfte loaded, and made-up demo activities for any date.

The promise is promises/haninge.py (docs/seed/haninge-medborgarloften.txt). The demo
data (`load_haninge --demo`) is realistic but invented and marked `is_demo`: for a
promise, every kind of activity the targets ask for, from its first day up to today
(the whole year for a promise that has ended), and the safety dialogues planned
after today, announced. Every function is idempotent: run again, on the same day, it
changes nothing; run on a later day, it adds what happened since.
"""

from .activities import *  # noqa: F403
from .nynashamn import *  # noqa: F403
from .places import *  # noqa: F403
from .problems import *  # noqa: F403
