"""Grid placement for the state diagram, computed from the transition table so new states appear by themselves."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.dialogue.table import Edge, State


@dataclass(frozen=True, slots=True)
class Link:
    """One drawn connection: every table edge between the same two states, shown as a single line."""

    source: State
    target: State
    edges: tuple[Edge, ...]

    @property
    def is_loop(self) -> bool:
        return self.source is self.target


@dataclass(frozen=True, slots=True)
class Layout:
    """Where each state sits (column, row) and the links between them."""

    cells: dict[State, tuple[int, int]]
    links: tuple[Link, ...]
    columns: int
    rows: int


def _states_in_order(edges: Iterable[Edge]) -> list[State]:
    seen: dict[State, None] = {}
    for edge in edges:
        seen.setdefault(edge.source)
        seen.setdefault(edge.target)
    return list(seen)


def _forward_edges(states: list[State], edges: tuple[Edge, ...]) -> list[Edge]:
    """The table without the edges that close a loop (a read-back's 'no' back to its question, self-loops):
    a depth-first walk in table order from the first state drops every edge into a state on its path."""
    out: dict[State, list[Edge]] = {state: [] for state in states}
    for edge in edges:
        out[edge.source].append(edge)
    forward: list[Edge] = []
    done: set[State] = set()
    path: set[State] = set()

    def walk(state: State) -> None:
        path.add(state)
        for edge in out[state]:
            if edge.target in path:
                continue
            forward.append(edge)
            if edge.target not in done:
                walk(edge.target)
        path.discard(state)
        done.add(state)

    for state in states:
        if state not in done:
            walk(state)
    return forward


def _ranks(states: list[State], edges: tuple[Edge, ...]) -> dict[State, int]:
    """Longest distance from a source state along the forward edges."""
    forward = _forward_edges(states, edges)
    rank = dict.fromkeys(states, 0)
    for _ in states:
        for edge in forward:
            if rank[edge.target] < rank[edge.source] + 1:
                rank[edge.target] = rank[edge.source] + 1
    return rank


def compute_layout(edges: tuple[Edge, ...]) -> Layout:
    """The spine (one state per rank) runs down the left; from the first fan-out on, states stack on the right."""
    states = _states_in_order(edges)
    rank = _ranks(states, edges)
    by_rank: dict[int, list[State]] = {}
    for state in states:
        by_rank.setdefault(rank[state], []).append(state)
    fan_rank = min((r for r, members in by_rank.items() if len(members) > 1), default=max(by_rank) + 1)
    cells: dict[State, tuple[int, int]] = {}
    for state in states:
        if rank[state] < fan_rank:
            cells[state] = (0, rank[state])
    outcome_states = [s for r in sorted(by_rank) if r >= fan_rank for s in by_rank[r]]
    feeders = [cells[e.source][1] for e in edges if e.target in outcome_states and e.source in cells]
    first_row = min(feeders, default=0)
    for offset, state in enumerate(outcome_states):
        cells[state] = (1, first_row + offset)
    links: dict[tuple[State, State], list[Edge]] = {}
    for edge in edges:
        links.setdefault((edge.source, edge.target), []).append(edge)
    return Layout(
        cells=cells,
        links=tuple(Link(s, t, tuple(group)) for (s, t), group in links.items()),
        columns=1 + (1 if outcome_states else 0),
        rows=1 + max(row for _, row in cells.values()),
    )
