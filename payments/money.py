"""Money as integer fen: yuan amounts (Decimal, two places) are converted exactly, never
through a float."""

from __future__ import annotations

from decimal import Decimal

FEN_PER_YUAN = 100


def to_fen(amount: Decimal | int | str) -> int:
    """Exact yuan to fen; an amount with fractions of a fen, or a float, is refused."""
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    fen = Decimal(amount) * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} has fractions of a fen")
    return int(fen)


def to_yuan(fen: int) -> Decimal:
    return (Decimal(int(fen)) / FEN_PER_YUAN).quantize(Decimal("0.01"))
