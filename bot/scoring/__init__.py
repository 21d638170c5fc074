"""Lead scoring: an explainable rubric (scoring.yml), a predictive model, a fairness audit."""

from bot.scoring.engine import Profile, Reason, ScoreResult, score
from bot.scoring.rubric import Rubric, RubricError, load_content_rubric, load_rubric
from bot.scoring.service import profile_of, score_contact

__all__ = [
    "Profile",
    "Reason",
    "Rubric",
    "RubricError",
    "ScoreResult",
    "load_content_rubric",
    "load_rubric",
    "profile_of",
    "score",
    "score_contact",
]
