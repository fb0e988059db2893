"""A Django Channels project for the bench: one WebSocket consumer in one group, an in-memory layer."""
