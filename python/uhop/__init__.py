"""U-Hop Studio's core in Python: dense associative memories and U-Hop's two-stage retrieval.

NumPy arrays in and out (float32 or float64, any order); the GIL is released while the core computes, Ctrl+C
cancels a long call, and ``progress=`` callbacks see a fraction in [0, 1] (return False to cancel). See
python/README.md.
"""
from ._uhop import (  # noqa: F401
    __version__,
    Cancelled,
    InputError,
    Session,
    capacity,
    landscape,
    load_memories,
    probe,
    project,
    retrieve,
    separation_loss,
    separation_loss_gradient,
    sweep,
)

__all__ = [
    "__version__", "Cancelled", "InputError", "Session", "capacity", "landscape", "load_memories", "probe", "project",
    "retrieve", "separation_loss", "separation_loss_gradient", "sweep",
]
