"""The deterministic screening dialogue: a transition table plus pure functions over it."""
