"""Rupee amounts written the way callers and the lender read them (lakhs: 1,50,000)."""


def rupees(amount: int) -> str:
    """₹1,50,000 rather than ₹150,000."""
    digits = str(abs(amount))
    head, tail = digits[:-3], digits[-3:]
    groups = [head[max(0, i - 2) : i] for i in range(len(head), 0, -2)][::-1]
    return ("-" if amount < 0 else "") + "₹" + ",".join([*groups, tail] if head else [tail])
