"""The parts of `ProfileStore`, one per aggregate, each reached as an attribute of the
store (`store.contacts`, `store.consent`, ...). Every public method of a part frames one
transaction through the store's shared `Transactions`."""
