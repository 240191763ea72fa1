"""The planning board: journeys 15 and 16 (docs/ui.md#browser-journeys).

Each step is (name, function(world, browser)); journeys.py runs them after journey 14.
"""

STEPS = []
