"""Simulated people against a real Parley, judged from the profile store (issue #18).

personas   the YAML sets in bench/personas (dev and test) as typed records
responses  which domain response a bot message is (so wording edits don't break judging)
lines      a conversation over the REST channel or a signed Twilio Voice call
simulator  plays one persona to the end and keeps the transcript
judge      compares what was stored with what the persona said
report     the figures per split, author and channel
"""
