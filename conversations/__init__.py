"""The platform-neutral conversation engine, its flows, parsers, copy catalog and service layer."""
