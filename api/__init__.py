"""The composition root: settings, the aiohttp app, webhooks, the JSON API and the ``tidtam`` CLI."""
