"""Rasa sends its domain only to the actions that read it (endpoints.yml's selective domain).

domain.yml marks `send_domain: true` on exactly the actions whose code reads the domain
(validate_* actions get it without a mark). What reads it is found in the code: the
`domain` argument of an action's `run` is followed into every method, function or other
action's `run` it is handed to; any other use is a read, and so is handing it to code
outside Parley (rasa-sdk's form helpers read it). An action that reads the domain without
a mark fails this test; on a running server it fails its call (actions/sent_domain.py).
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.sent_domain import DomainNotSent, DomainReadWithoutMark
from actions.session import ActionSessionStart
from bot.settings import PROJECT_ROOT
from bot.store import ProfileStore
from tests.actions.conftest import make_tracker

DOMAIN = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text("utf-8"))
OURS = ("actions", "bot")


def marked_actions() -> set[str]:
    return {
        name
        for entry in DOMAIN["actions"]
        if isinstance(entry, dict)
        for name, options in entry.items()
        if (options or {}).get("send_domain")
    }


def registered_actions() -> dict[str, type[Action]]:
    executor = ActionExecutor()
    executor.register_package("actions")
    return {name: run.__self__.__class__ for name, run in executor.actions.items()}


def _ours(function: Callable[..., Any]) -> bool:
    return str(getattr(function, "__module__", "")).split(".")[0] in OURS


def _tree(function: Callable[..., Any]) -> ast.FunctionDef | ast.AsyncFunctionDef:
    node = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    assert isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    return node


class DomainReads:
    """Whether a function reads one of its parameters, following where it is handed."""

    def __init__(self) -> None:
        self._known: dict[tuple[Any, str, Any], bool] = {}

    def action(self, cls: type[Action]) -> bool:
        return self.function(cls.run, "domain", cls)

    def function(self, function: Callable[..., Any], parameter: str, owner: Any) -> bool:
        function = inspect.unwrap(getattr(function, "__func__", function))
        if not _ours(function):
            return True  # rasa-sdk's own run (forms, validation actions) reads it
        key = (function, parameter, owner)
        if key not in self._known:
            self._known[key] = False  # a cycle adds no read of its own
            self._known[key] = self._reads(function, parameter, owner)
        return self._known[key]

    def _reads(self, function: Callable[..., Any], parameter: str, owner: Any) -> bool:
        tree = _tree(function)
        namespace = function.__globals__
        built = {  # local names bound to an instance: `resubscribe = ActionResubscribe(...)`
            target.id: node.value.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        handed: set[int] = set()
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            arguments = [
                *((i, a) for i, a in enumerate(call.args)),
                *((k.arg, k.value) for k in call.keywords),
            ]
            for position, argument in arguments:
                if not (isinstance(argument, ast.Name) and argument.id == parameter):
                    continue
                handed.add(id(argument))
                callee = self._callee(call.func, namespace, owner, built)
                if callee is None:
                    return True
                target, new_owner, bound = callee
                if self.function(target, self._parameter(target, position, bound), new_owner):
                    return True
        return any(
            isinstance(node, ast.Name) and node.id == parameter and id(node) not in handed
            for node in ast.walk(tree)
        )

    @staticmethod
    def _parameter(function: Callable[..., Any], position: int | str | None, bound: bool) -> str:
        if isinstance(position, str):
            return position
        function = inspect.unwrap(getattr(function, "__func__", function))
        names = list(inspect.signature(function).parameters)
        names = names[1:] if bound else names
        assert position is not None and position < len(names), (function, position)
        return names[position]

    @staticmethod
    def _callee(
        func: ast.expr, namespace: dict[str, Any], owner: Any, built: dict[str, str]
    ) -> tuple[Callable[..., Any], Any, bool] | None:
        """The function a call runs, the class `self` is in it, whether it is bound."""
        if isinstance(func, ast.Name):
            found = namespace.get(func.id)
            if isinstance(found, type):
                return DomainReads._method(found, "__init__")
            return (found, None, False) if callable(found) else None
        if not isinstance(func, ast.Attribute):
            return None
        value = func.value
        if isinstance(value, ast.Name) and value.id == "self" and owner is not None:
            return DomainReads._method(owner, func.attr)
        if isinstance(value, ast.Name) and value.id in built:
            value = ast.Call(func=ast.Name(id=built[value.id]), args=[], keywords=[])
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
            cls = namespace.get(value.func.id)
            if isinstance(cls, type):
                return DomainReads._method(cls, func.attr)
        return None

    @staticmethod
    def _method(cls: type, name: str) -> tuple[Callable[..., Any], Any, bool]:
        bound = not isinstance(inspect.getattr_static(cls, name), staticmethod)
        return getattr(cls, name), cls, bound


def test_domain_yml_marks_exactly_the_actions_that_read_the_domain() -> None:
    reads = DomainReads()
    registered = registered_actions()
    readers = {name for name, cls in registered.items() if reads.action(cls)}
    sent = marked_actions() | {name for name in registered if name.startswith("validate_")}
    assert not readers - sent, (
        f"{sorted(readers - sent)} read the domain, which Rasa does not send them: "
        "mark them `send_domain: true` in domain.yml"
    )
    assert not marked_actions() - readers, (
        f"{sorted(marked_actions() - readers)} never read the domain: take the mark away "
        "(30 KB on every call)"
    )


def test_the_reads_are_followed_where_the_domain_is_handed() -> None:
    reads, registered = DomainReads(), registered_actions()
    # Directly (session_config), through its own methods (the form's order), through
    # another action's run that does not read it, through one that hands it on again.
    assert reads.action(registered["action_session_start"])
    assert reads.action(registered["validate_lead_form"])
    assert not reads.action(registered["action_yes_no_answer"])
    assert not reads.action(registered["action_resubscribe"])
    assert not reads.action(registered["action_help"])


def test_rasa_sends_the_domain_to_the_marked_and_validating_actions_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    endpoints = PROJECT_ROOT / "endpoints.yml"
    for variable in re.findall(r"\$\{(\w+)\}", endpoints.read_text("utf-8")):
        monkeypatch.setenv(variable, "x")
    endpoint = read_endpoint_config(str(endpoints), "action_endpoint")
    domain = Domain.load(PROJECT_ROOT / "domain.yml")
    tracker = DialogueStateTracker("visitor-1", domain.slots)
    for name in ("action_help", "action_confirm_lead", "action_session_start",
                 "validate_lead_form", "validate_booking_form"):  # fmt: skip
        call = RemoteAction(name, endpoint)._action_call_format(tracker, domain)
        needs = name in marked_actions() or name.startswith("validate_")
        assert ("domain" in call) is needs, name
        if needs:
            assert call["domain"]["session_config"]["carry_over_slots_to_new_session"] is True


def test_a_domain_that_was_not_sent_cannot_be_read() -> None:
    missing = DomainNotSent("action_made_up")
    reads: list[Callable[[], object]] = [
        lambda: missing.get("forms"), lambda: missing["forms"], lambda: "forms" in missing,
        lambda: list(missing), lambda: len(missing), lambda: bool(missing),
        lambda: missing.items(),
    ]  # fmt: skip
    for read in reads:
        with pytest.raises(DomainReadWithoutMark, match="action_made_up read the domain"):
            read()


async def test_an_action_run_without_the_domain_it_reads_fails(store: ProfileStore) -> None:
    tracker: Tracker = make_tracker("hi")
    action = ActionSessionStart(store)
    with pytest.raises(DomainReadWithoutMark, match="mark it there"):
        await action.run(CollectingDispatcher(), tracker, DomainNotSent(action.name()))
