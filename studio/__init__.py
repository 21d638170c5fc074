"""The marketers' studio (#8): edit the bot's content, try it, publish it, watch results.

An aiohttp app with server-rendered pages. It reads and writes the profile store through
`bot.store`, edits the content files under `Settings.content_root`, validates them with
Rasa's own validator and Parley's lints, and publishes by training and swapping the model
on the running Rasa servers (`PUT /model`).
"""
