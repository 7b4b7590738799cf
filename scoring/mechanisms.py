"""The catalogue of mechanisms: what each switch in ``[mechanisms]`` does.

Each entry says what kind of mechanism it is (a source of bias, a feedback
loop or a remedy), how we know such a thing exists (its provenance label) and
where to read more, so the app and the docs explain it from one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mechanism:
    """One switchable mechanism of the model.

    Attributes:
        key: Field name in :class:`scoring.scenario.Mechanisms`.
        title: Short name.
        kind: ``bias`` (how the score sees people unequally), ``loop`` (a
            feedback loop: the score changes what it then measures) or
            ``remedy``.
        provenance: Key of :data:`scoring.constants.PROVENANCE`.
        explanation: What it does in the model, in one or two sentences.
        source: Where the idea comes from.
    """

    key: str
    title: str
    kind: str
    provenance: str
    explanation: str
    source: str


MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism(
        "thin_files", "Thin files", "bias", "operator",
        "Only payments that run through the platform are seen. People who pay in cash have "
        "a thin file: good habits and bad ones barely move their score.",
        "Sesame Credit scores activity on Alipay and partner services (operator).",
    ),
    Mechanism(
        "cameras", "Cameras by district", "bias", "press",
        "A street infraction is recorded with the camera coverage of the district where it "
        "happens, so the same act costs more points where cameras are dense.",
        "700 million face-recognition cameras planned by 2020 (press, 2018).",
    ),
    Mechanism(
        "face_match_errors", "Wrong face matches", "bias", "press",
        "A recorded infraction can be pinned on the wrong person. Some groups and seniors "
        "are wrongly matched more often; better algorithms err less and differ less.",
        "NISTIR 8280 (NIST FRVT Part 3, Dec 2019): false positives higher for some groups, "
        "often by a factor of 10 to 100.",
    ),
    Mechanism(
        "adaptive_cameras", "Cameras follow the records", "loop", "hypothetical",
        "Each month cameras move towards districts where infractions were recorded. Since "
        "records come only from where cameras look, the allocation runs away from the true "
        "rates.",
        "Ensign et al., Runaway Feedback Loops in Predictive Policing (FAT* 2018).",
    ),
    Mechanism(
        "perks", "Perks for the already-high", "loop", "press",
        "Above thresholds come deposit-free rentals, credit lines and visa help. Lower costs "
        "mean less hardship, fewer late bills and a still higher score.",
        "Perks from 600, 650, 700 and 750 points reported in the press (2015-2018).",
    ),
    Mechanism(
        "penalties", "Penalties for the low", "loop", "press",
        "Below thresholds come refused loans, higher deposits, travel blacklists and job "
        "screening. Hardship rises, bills slip, and the score falls further.",
        "National Public Credit Information Center: 17.46 million blocked flight purchases "
        "and 5.47 million blocked train purchases in 2018 (counts of purchases, not people).",
    ),
    Mechanism(
        "lending", "Lending by score", "loop", "hypothetical",
        "Loans go to those above a threshold; repayment adds points, default takes many "
        "away. Lending to people unlikely to repay can lower their group's mean.",
        "Liu et al., Delayed Impact of Fair Machine Learning (ICML 2018): +75 on repayment, "
        "-150 on default.",
    ),
    Mechanism(
        "friends", "Friends' scores count", "loop", "alleged",
        "The relationships sub-score is pulled towards friends' mean score: guilt by "
        "association. Claimed for Sesame Credit in a viral 2015 video; never substantiated.",
        "China Law Translate, Getting Rongcheng right; press reports of the 2015 video.",
    ),
    Mechanism(
        "exclusion", "Social exclusion", "loop", "hypothetical",
        "People above a threshold drop friends below it and befriend the high, so the "
        "network sorts itself by score and the low are left with the low.",
        "A thought experiment following the friends claim.",
    ),
    Mechanism(
        "gaming", "Gaming the score", "loop", "operator",
        "People just below a perk threshold change what the scorer sees (buy diapers, keep "
        "games off the platform) without changing how reliable they are. Scores inflate and "
        "measure less (Goodhart's law).",
        "The operator's technology director on diapers and video games (BBC / Caixin 2015).",
    ),
    Mechanism(
        "appeals", "Appeals", "remedy", "hypothetical",
        "A share of wrong face matches is contested and reversed: the right to contest an "
        "automated decision, as in GDPR article 22.",
        "GDPR (EU 2016/679), articles 15 and 22.",
    ),
)

MECHANISMS_BY_KEY: dict[str, Mechanism] = {m.key: m for m in MECHANISMS}
LOOP_KEYS: tuple[str, ...] = tuple(m.key for m in MECHANISMS if m.kind == "loop")
