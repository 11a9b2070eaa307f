"""Learning from the team: a store of masked results and the feedback agents give on them.

    kit = ReplyKit.load(feedback="feedback.db")        # or REPLYKIT_FEEDBACK_DB, or a postgresql:// URL
    s = kit.suggest(post, variables={"customer_name": "Peter"})
    kit.feedback.pick(s.result_id, s.suggestions[0].template_id, sent=text_sent)
    kit.feedback.stats(); kit.feedback.purge()

See docs/feedback.md.
"""
from __future__ import annotations

from .recorder import DEFAULT_RETENTION_DAYS, ENV_DB, FeedbackLog, open_store
from .stats import FeedbackStats
from .store import FeedbackStore

__all__ = ["DEFAULT_RETENTION_DAYS", "ENV_DB", "FeedbackLog", "FeedbackStats", "FeedbackStore", "open_store"]
