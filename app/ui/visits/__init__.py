"""The home-visit screens: to-do list, drafts, need alerts, the visit window and form renderer."""
