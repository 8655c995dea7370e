"""policeroom: the desk program of a community police room (社区警务室)."""

__version__ = "0.1.0"
