"""The pure conversation engine: ``step(flows, state, inbound, now, context) -> Turn | DataRequest`` (see ``core``),
then ``conclude(flows, turn, outcomes, context) -> Turn`` once the service has carried out the effects (``conclude``).
"""
