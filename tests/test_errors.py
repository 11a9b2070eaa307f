"""Every public error survives pickling (process pools send them between processes) with its attributes."""
from __future__ import annotations

import copy
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import pytest

import replykit
from replykit import InputError, MissingVariablesError, PackError, RenderError, ReplyKitError, UnknownTemplateError

ERRORS = [
    ReplyKitError("something went wrong"),
    PackError("invalid YAML: mapping values are not allowed here", "templates/da/outage.yaml", 12),
    PackError("missing pack.yaml", "templates"),
    PackError("no file at all"),
    RenderError("da/outage/public: refused by the sandbox: access to attribute '__globals__'"),
    MissingVariablesError("da/outage/public", ["agent_name", "customer_name"]),
    UnknownTemplateError("outage/nothing: no such reply in this pack"),
    InputError("unknown language 'sv' (this pack has da, no, nl, ru)"),
]


def test_every_public_error_is_listed_here():
    public = {name for name in replykit.__all__ if name.endswith("Error")}
    assert public == {type(e).__name__ for e in ERRORS}


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_round_trip_through_pickle(error):
    error = copy.copy(error)  # copying goes through __reduce__ as well
    error.add_note("while loading the pack")
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(error, protocol=protocol))
        assert type(back) is type(error)
        assert str(back) == str(error) and back.args == error.args
        assert vars(back) == vars(error)  # path, line, reason, template_id, missing, notes
        assert isinstance(back, ReplyKitError)


def test_missing_variables_attributes_after_the_round_trip():
    back = pickle.loads(pickle.dumps(MissingVariablesError("no/billing/private", ["agent_name"])))
    assert back.template_id == "no/billing/private" and back.missing == ["agent_name"]
    back = pickle.loads(pickle.dumps(PackError("bad", "rules/x.yaml", 3)))
    assert (back.path, back.line, back.reason, str(back)) == ("rules/x.yaml", 3, "bad", "rules/x.yaml:3: bad")


def _raise(error: Exception) -> None:
    raise error


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_worker_process_can_raise_them():
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        for error in ERRORS:
            with pytest.raises(type(error)) as caught:
                pool.submit(_raise, error).result(timeout=60)
            assert str(caught.value) == str(error)
