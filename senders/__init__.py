"""Everything that delivers a message to a person: the `Sender` contract and one sender
per provider, shared by the chat connectors (`channels/`) and campaigns (`campaigns/`)."""
