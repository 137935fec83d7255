"""The opinion-group method (after pol.is; the method is public, its code is AGPL and not used here),
pure numpy / scikit-learn with no database: votes in, groups and statement shares out.

1. The participant × statement matrix: agree +1, disagree −1, pass and unseen 0. Participants with fewer
   than MIN_VOTES votes are left out: a few clicks place nobody reliably.
2. PCA to two components places each participant; a participant's place is scaled by
   sqrt(statements / their votes), so a sparse voter is not pulled to the centre by the zeros they never
   chose (pol.is does the same).
3. k-means first into up to BASE_CLUSTERS small clusters, then those (weighted by size) into k groups,
   k in 2..5 chosen by the silhouette of the participants' places.
4. Per group and statement: agrees, disagrees, passes. A group's *representative* statements are where
   its smoothed agree (or disagree) share, (n + 1) / (seen + 2), differs most from everyone else's: a
   two-proportion z-score above Z_REPRESENTATIVE, ranked by ratio × share. *Consensus* (group-informed):
   the product over groups of each group's smoothed agree share, so a big group cannot outvote a small
   one; listed only where every group's share is above one half.

Everything is vectorised: 10,000 participants × 1,000 statements take seconds (bench/opinion_groups.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
from threadpoolctl import threadpool_limits

MIN_VOTES = 7
MIN_PARTICIPANTS = 10
BASE_CLUSTERS = 100
K_RANGE = range(2, 6)
SILHOUETTE_SAMPLE = 2000
POWER_ITERATIONS = 6
Z_REPRESENTATIVE = 1.2816  # one-sided 90 %, as pol.is
REPRESENTATIVE_MAX = 4
CONSENSUS_MAX = 5
POINTS_MAX = 1500  # the scatter shows a sample; the counts use everyone
AGREE, DISAGREE, PASS = 1, -1, 0


@dataclass(frozen=True)
class Representative:
    statement: int  # column index
    direction: str  # "agree" | "disagree"
    share: float  # the group's smoothed share in that direction
    rest_share: float
    z: float


@dataclass
class Outcome:
    k: int
    silhouette: float
    participants: int  # everyone who voted
    grouped: int  # those with enough votes to be placed
    sizes: list[int]
    agree: np.ndarray  # k × statements counts
    disagree: np.ndarray
    passed: np.ndarray
    representative: list[list[Representative]]
    consensus: list[tuple[int, float]]  # (column, score), best first
    labels: np.ndarray  # group per grouped participant (row order of `rows`)
    rows: np.ndarray  # participant index of each grouped participant
    points: list[tuple[float, float, int]] = field(default_factory=list)  # anonymous sample, 0..1 box


def compute(
    participant: np.ndarray, statement: np.ndarray, value: np.ndarray, n_statements: int, *, seed: int = 0
) -> Outcome | None:
    """`participant` and `statement` are 0-based indices, `value` +1/−1/0, one entry per vote. None when
    too few people voted enough to form groups."""
    participant = np.asarray(participant, dtype=np.int64)
    statement = np.asarray(statement, dtype=np.int64)
    value = np.asarray(value, dtype=np.int8)
    n_participants = int(participant.max()) + 1 if participant.size else 0
    counts = np.bincount(participant, minlength=n_participants)
    rows = np.flatnonzero(counts >= MIN_VOTES)
    if rows.size < MIN_PARTICIPANTS or n_statements < 2:
        return None
    row_of = np.full(n_participants, -1, dtype=np.int64)
    row_of[rows] = np.arange(rows.size)
    keep = row_of[participant] >= 0
    r, s, v = row_of[participant[keep]], statement[keep], value[keep]

    matrix = sparse.csr_matrix((v.astype(np.float64), (r, s)), shape=(rows.size, n_statements))
    # One thread: the worker shares its machine with the web servers, and on a busy machine OpenMP's
    # threads wait on each other longer than one thread computes.
    with threadpool_limits(limits=1):
        places = _places(matrix, counts[rows], n_statements, seed)
        found = _groups(places, seed)
    if found is None:
        return None
    labels, silhouette = found
    k = int(labels.max()) + 1

    cell = labels[r] * n_statements + s
    agree = np.bincount(cell[v == AGREE], minlength=k * n_statements).reshape(k, n_statements)
    disagree = np.bincount(cell[v == DISAGREE], minlength=k * n_statements).reshape(k, n_statements)
    passed = np.bincount(cell[v == PASS], minlength=k * n_statements).reshape(k, n_statements)
    return Outcome(
        k=k,
        silhouette=float(silhouette),
        participants=int(np.count_nonzero(counts)),
        grouped=int(rows.size),
        sizes=np.bincount(labels, minlength=k).tolist(),
        agree=agree,
        disagree=disagree,
        passed=passed,
        representative=representatives(agree, disagree, passed),
        consensus=consensus(agree, disagree, passed),
        labels=labels,
        rows=rows,
        points=_sample_points(places, labels, seed),
    )


def _places(matrix: sparse.csr_matrix, votes: np.ndarray, n_statements: int, seed: int) -> np.ndarray:
    """The first two principal components of the (column-centred) vote matrix, by a randomized range
    finder (Halko et al.) that never builds the dense centred matrix: X_c·Q = X·Q − 1(μᵀQ). The cost
    is a few products with the sparse matrix, so 10,000 × 1,000 takes well under a second."""
    n_rows = matrix.shape[0]
    mean = np.asarray(matrix.mean(axis=0)).ravel()
    if n_rows <= 2 or not _varies(matrix, mean):
        return np.zeros((n_rows, 2))  # nobody differs from anybody: no axis to find
    rng = np.random.default_rng(seed)
    rank = min(2 + 10, n_statements, n_rows)

    def times(q: np.ndarray) -> np.ndarray:  # X_c · q
        return matrix @ q - np.outer(np.ones(n_rows), mean @ q)

    def t_times(p: np.ndarray) -> np.ndarray:  # X_cᵀ · p
        return matrix.T @ p - np.outer(mean, p.sum(axis=0))

    basis, _ = np.linalg.qr(times(rng.standard_normal((n_statements, rank))))
    for _ in range(POWER_ITERATIONS):
        basis, _ = np.linalg.qr(t_times(basis))
        basis, _ = np.linalg.qr(times(basis))
    small = t_times(basis).T  # (rank × statements) = Qᵀ X_c
    u, sigma, _vt = np.linalg.svd(small, full_matrices=False)
    places = (basis @ u[:, :2]) * sigma[:2]
    return places * np.sqrt(n_statements / np.maximum(votes, 1))[:, None]


def _varies(matrix: sparse.csr_matrix, mean: np.ndarray) -> bool:
    squares = np.asarray(matrix.multiply(matrix).mean(axis=0)).ravel()
    return bool((squares - mean**2 > 1e-12).any())


def _groups(places: np.ndarray, seed: int) -> tuple[np.ndarray, float] | None:
    """Labels 0..k−1 (0 the largest group) and the silhouette of the chosen k, or None if nobody differs."""
    # A crowd split cleanly may sit on as few places as it has camps: never ask for more clusters.
    n_base = min(BASE_CLUSTERS, len(np.unique(places.round(9), axis=0)))
    if n_base < 2:
        return None
    base = KMeans(n_clusters=n_base, n_init=1, max_iter=100, random_state=seed).fit(places)
    centres = base.cluster_centers_
    weights = np.bincount(base.labels_, minlength=n_base)
    best: tuple[float, np.ndarray] | None = None
    for k in K_RANGE:
        if k > n_base:
            break
        grouping = KMeans(n_clusters=k, n_init=10, random_state=seed).fit(centres, sample_weight=weights)
        labels = grouping.labels_[base.labels_]
        if len(np.unique(labels)) < 2:
            continue
        score = silhouette_score(
            places, labels, sample_size=min(SILHOUETTE_SAMPLE, len(labels)), random_state=seed
        )
        if best is None or score > best[0]:
            best = (float(score), labels)
    if best is None:
        return None
    score, labels = best
    # Group 1 is the largest, whatever order k-means found them in.
    order = np.argsort(-np.bincount(labels), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return rank[labels], score


def _smoothed(n: np.ndarray, seen: np.ndarray) -> np.ndarray:
    return (n + 1.0) / (seen + 2.0)


def _z(p1: np.ndarray, n1: np.ndarray, p2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return np.divide(p1 - p2, spread, out=np.zeros_like(p1), where=spread > 0)


def representatives(
    agree: np.ndarray, disagree: np.ndarray, passed: np.ndarray
) -> list[list[Representative]]:
    seen = agree + disagree + passed
    out = []
    for g in range(agree.shape[0]):
        rest = np.arange(agree.shape[0]) != g
        n_in, n_out = seen[g] + 2.0, seen[rest].sum(axis=0) + 2.0
        candidates: list[tuple[float, Representative]] = []
        for direction, counts in (("agree", agree), ("disagree", disagree)):
            p_in = _smoothed(counts[g], seen[g])
            p_out = _smoothed(counts[rest].sum(axis=0), seen[rest].sum(axis=0))
            z = _z(p_in, n_in, p_out, n_out)
            for j in np.flatnonzero((z > Z_REPRESENTATIVE) & (p_in > 0.5)):
                candidates.append(
                    (
                        float(p_in[j] / p_out[j] * p_in[j]),
                        Representative(int(j), direction, float(p_in[j]), float(p_out[j]), float(z[j])),
                    )
                )
        candidates.sort(key=lambda c: (-c[0], c[1].statement))
        chosen: list[Representative] = []
        for _score, rep in candidates:
            if all(rep.statement != c.statement for c in chosen):
                chosen.append(rep)
            if len(chosen) == REPRESENTATIVE_MAX:
                break
        out.append(chosen)
    return out


def consensus(agree: np.ndarray, disagree: np.ndarray, passed: np.ndarray) -> list[tuple[int, float]]:
    seen = agree + disagree + passed
    shares = _smoothed(agree, seen)
    score = shares.prod(axis=0)
    eligible = np.flatnonzero((shares > 0.5).all(axis=0))
    ranked = eligible[np.argsort(-score[eligible], kind="stable")][:CONSENSUS_MAX]
    return [(int(j), float(score[j])) for j in ranked]


def _sample_points(places: np.ndarray, labels: np.ndarray, seed: int) -> list[tuple[float, float, int]]:
    """An anonymous, shuffled sample of places, shifted and scaled (the same factor on both axes, so
    distances keep their meaning) into the unit box: no row order, no ids, rounded."""
    rng = np.random.default_rng(seed)
    pick = rng.permutation(len(labels))[:POINTS_MAX]
    chosen = places[pick]
    low, high = chosen.min(axis=0), chosen.max(axis=0)
    span = float((high - low).max()) or 1.0
    unit = ((chosen - low) / span).round(3)
    return [(float(x), float(y), int(g)) for (x, y), g in zip(unit, labels[pick], strict=True)]
