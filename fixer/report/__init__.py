"""How results are shown: unified diffs and diagnostic lines."""
