"""Every provider goes through the same pipeline: model → validate → repair → fallback.

The network providers are exercised with their real clients (httpx, the anthropic SDK)
against local HTTP stand-ins on 127.0.0.1 that speak the OpenAI and Anthropic protocols.
"""

from __future__ import annotations

import pytest

from bioql.assistant.model import prompt
from bioql.assistant.pipeline import Pipeline
from bioql.assistant.providers import clear_cache, load_provider
from bioql.assistant.providers.openai_compat import OpenAICompatible
from bioql.calls import find_calls
from bioql.errors import BioQLAssistantError, BioQLCredentialsError

from .stand_ins import serve

GOOD_PLAN = "Q Create a Bell state | ibm_brisbane | 2000"
REQUEST = "Create a Bell state and run it 2000 times on IBM Brisbane"


@pytest.fixture(autouse=True)
def _fresh_providers():
    clear_cache()
    yield
    clear_cache()


def _openai(server, mode="chat"):
    return Pipeline(
        OpenAICompatible(
            base_url=server.url + "/v1", model="test-model", api_key="sk-test", mode=mode
        )
    )


def test_openai_chat_answer_is_validated_and_marked_model():
    with serve("openai", [GOOD_PLAN]) as server:
        answer = _openai(server).generate(REQUEST)
    assert answer.source == "model" and answer.valid and answer.model == "test-model"
    (call,) = find_calls(answer.code)
    assert call.kwargs == {"backend": "ibm_brisbane", "shots": 2000}
    assert (answer.tokens_in, answer.tokens_out) == (40, 12)
    (sent,) = server.requests
    assert sent["path"] == "/v1/chat/completions"
    assert sent["headers"]["authorization"] == "Bearer sk-test"
    assert (
        sent["body"]["messages"][0]["role"] == "system"
        and sent["body"]["messages"][1]["content"] == REQUEST
    )
    assert sent["body"]["temperature"] == 0.0


def test_garbage_gets_one_repair_turn_with_the_validators_message():
    with serve("openai", ["Create a Bell state\n\n### Reasoning:\n   (    (", GOOD_PLAN]) as server:
        answer = _openai(server).generate(REQUEST, temperature=0.4)
    assert answer.source == "model+repair" and answer.valid
    repair = server.requests[1]["body"]["messages"]
    assert repair[2]["role"] == "assistant" and "(    (" in repair[2]["content"]
    assert "rejected" in repair[3]["content"]
    assert server.requests[1]["body"]["temperature"] == 0.4


def test_two_bad_answers_fall_back_to_the_template():
    bad = '```python\nconn = BioQL.connect("localhost")\ncursor = conn.cursor()\n```'
    with serve("openai", [bad, "Q Make me a sandwich | simulator | 10"]) as server:
        answer = _openai(server).generate(REQUEST)
    assert answer.source == "fallback" and answer.valid
    assert "connect" not in answer.code and len(server.requests) == 2


def test_completions_mode_sends_the_project_prompt_format():
    with serve("openai", [GOOD_PLAN + prompt.END]) as server:
        answer = _openai(server, mode="completions").generate(REQUEST)
    assert answer.source == "model"
    body = server.requests[0]["body"]
    assert body["prompt"] == prompt.render_prompt(REQUEST) and body["stop"] == [prompt.END]


def test_model_refusal_of_off_topic_request_is_kept():
    with serve("openai", ["R"]) as server:
        answer = _openai(server).generate("What's the weather in Madrid?")
    assert answer.code is None and answer.error and answer.source == "model"


def test_valid_code_for_an_off_topic_request_is_not_returned():
    with serve("openai", [GOOD_PLAN]) as server:
        answer = _openai(server).generate("Write a poem about autumn leaves")
    assert answer.code is None and answer.error


def test_unreachable_server_falls_back(monkeypatch):
    pipeline = Pipeline(OpenAICompatible(base_url="http://127.0.0.1:9/v1", model="m", timeout=2))
    answer = pipeline.generate(REQUEST)
    assert answer.source == "fallback" and answer.valid


def test_openai_provider_from_environment(monkeypatch):
    with serve("openai", [GOOD_PLAN]) as server:
        monkeypatch.setenv("BIOQL_OPENAI_BASE_URL", server.url + "/v1")
        monkeypatch.setenv("BIOQL_OPENAI_MODEL", "served-adapter")
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        answer = load_provider("openai").generate(REQUEST)
    assert answer.model == "served-adapter" and answer.source == "model"
    assert "authorization" not in server.requests[0]["headers"]


def test_anthropic_through_the_sdk(monkeypatch):
    pytest.importorskip("anthropic")
    with serve(
        "anthropic",
        [
            'Sure!\n```python\nfrom bioql import quantum\n\nr = quantum("Create a Bell state", backend="ibm_brisbane", shots=2000)\nprint(r)\n```'
        ],
    ) as server:
        monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test")
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        monkeypatch.setenv("BIOQL_ANTHROPIC_MODEL", "claude-test")
        answer = load_provider("anthropic").generate(REQUEST)
    assert answer.source == "model" and answer.valid and answer.model == "claude-test"
    assert (answer.tokens_in, answer.tokens_out) == (55, 9)
    sent = server.requests[0]
    assert sent["path"] == "/v1/messages" and "anthropic-version" in sent["headers"]
    # SDK generations differ in how they send the key (x-api-key or a bearer token)
    assert "sk-ant-test" in (
        sent["headers"].get("x-api-key", "") + sent["headers"].get("authorization", "")
    )
    assert "BioQL" in sent["body"]["system"] and sent["body"]["messages"] == [
        {"role": "user", "content": REQUEST}
    ]
    assert sent["body"]["temperature"] == 0.0


def test_anthropic_without_key_is_a_clear_error(monkeypatch):
    pytest.importorskip("anthropic")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(BioQLCredentialsError, match="ANTHROPIC_API_KEY"):
        load_provider("anthropic")


def test_unknown_provider_and_default(monkeypatch):
    with pytest.raises(BioQLAssistantError, match="template, local, openai, anthropic"):
        load_provider("gpt5")
    monkeypatch.setenv("BIOQL_PROVIDER", "template")
    assert load_provider().model_name == "template"


def test_local_provider_without_a_model_says_how_to_get_one(monkeypatch, tmp_path):
    monkeypatch.setenv("BIOQL_MODEL_DIR", str(tmp_path / "none"))
    with pytest.raises(BioQLAssistantError, match="bioql train"):
        load_provider("local")


def test_local_provider_caps_new_tokens_at_the_longest_plan():
    from types import SimpleNamespace

    from bioql.assistant.model.prompt import slot_values
    from bioql.assistant.providers.local import MAX_NEW_TOKENS, LocalBackend

    asked: list[int] = []

    class Recorder:
        name = "recorder"

        def generate(self, text, *, max_new_tokens, temperature, grammar, prefix=()):
            # the plan grammar, typed by this request's slots, is on unless BIOQL_CONSTRAINED=0
            assert grammar.values == slot_values(REQUEST) and not prefix
            asked.append(max_new_tokens)
            return SimpleNamespace(text=GOOD_PLAN, tokens_in=3, tokens_out=9, finished=True, ids=[])

    pipeline = Pipeline(LocalBackend(Recorder()))
    assert pipeline.generate(REQUEST).source == "model"  # default max_length (256) is capped
    pipeline.generate(REQUEST, max_length=20)  # a smaller request limit is honoured
    assert asked == [MAX_NEW_TOKENS, 20] and 68 <= MAX_NEW_TOKENS <= 96


def test_valid_code_that_ignores_the_stated_shots_is_not_returned_as_the_models():
    wrong = "Q Create a Bell state | ibm_brisbane | 1000"  # valid, but the request says 2000
    with serve("openai", [wrong, wrong]) as server:
        answer = _openai(server).generate(REQUEST)
    assert answer.source == "fallback" and answer.valid
    (call,) = find_calls(answer.code)
    assert call.kwargs == {"backend": "ibm_brisbane", "shots": 2000}
    repair = server.requests[1]["body"]["messages"][-1]["content"]
    assert "2000 shots" in repair and "uses 1000" in repair


def test_local_provider_sends_slots_and_fills_them_back():
    from types import SimpleNamespace

    from bioql.assistant.providers.local import LocalBackend

    seen: list[str] = []

    class Recorder:
        name = "recorder"

        def generate(self, text, *, max_new_tokens, temperature, grammar, prefix=()):
            seen.append(text)
            plan = "Q Create a Bell state | ibm_#2 | #1"
            return SimpleNamespace(text=plan, tokens_in=3, tokens_out=9, finished=True, ids=[])

    answer = Pipeline(LocalBackend(Recorder())).generate(REQUEST)
    assert "2000" not in seen[0] and "brisbane" not in seen[0].lower()
    assert answer.source == "model"
    (call,) = find_calls(answer.code)
    assert call.kwargs == {"backend": "ibm_brisbane", "shots": 2000}


def test_the_service_gives_the_template_provider_its_short_deadline():
    from bioql.server.config import Settings, deadline_for

    settings = Settings(database_url="sqlite://", secret=b"x", template_deadline_seconds=2)
    assert deadline_for(load_provider("template").model_name, settings) == 2
    assert deadline_for("bioql-codegen", settings) == settings.max_charge_seconds
