"""QuickRupee Voice core: dialogue, understanding, policy, records and speech, shared by every front end."""
