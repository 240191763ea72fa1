"""Moving in: journey 17 (docs/ui.md#browser-journeys).

Each step is (name, function(world, browser)); journeys.py runs them after journey 14.
"""

STEPS = []
