"""The pure conversation engine: ``step(flow, state, inbound, now, context) -> Turn`` (see ``core``)."""
