"""The ranker versions table: snapshots of the learnt taste, and what a person reads about them."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from wardrobe_app.db.photo_files import confined, make_private_dirs, replace_durably
from wardrobe_app.db.tables import FeedbackRow, RankerVersionRow
from wardrobe_app.domain.results import RankerState
from wardrobe_app.recommend.personal import Taste


def active_version(session: Session) -> RankerVersionRow | None:
    """The latest snapshot (or reset), None before the first."""
    return session.scalars(select(RankerVersionRow).order_by(RankerVersionRow.version.desc())).first()


def new_ratings(sessions: sessionmaker[Session]) -> int:
    """Ratings recorded since the last snapshot or reset."""
    with sessions() as session:
        row = active_version(session)
        last = 0 if row is None else row.last_feedback_id
        return int(session.scalar(select(func.count(FeedbackRow.id)).where(FeedbackRow.id > last)) or 0)


def ranker_state(sessions: sessionmaker[Session], retrain_every: int) -> RankerState:
    """Ratings so far and the taste in use (``labelled()`` for a person to read)."""
    with sessions() as session:
        counts = dict(
            session.execute(select(FeedbackRow.source, func.count(FeedbackRow.id)).group_by(FeedbackRow.source)).all()
        )
        active = active_version(session)
        if active is None or not active.active:
            in_use, last = "expert rules (no personal ranker yet)", "never"
        elif active.metrics_json and json.loads(active.metrics_json).get("reset"):
            in_use = "expert rules (reset; learns again from new ratings)"
            last = active.trained_at.strftime("%Y-%m-%d %H:%M")
        else:
            in_use = f"personal v{active.version} (trained on {active.n_ratings} ratings)"
            last = active.trained_at.strftime("%Y-%m-%d %H:%M")
    return RankerState(
        ratings=sum(counts.values()),
        likes=counts.get("like", 0),
        dislikes=counts.get("dislike", 0),
        worn=counts.get("wore", 0),
        in_use=in_use,
        last_retrain=last,
        since_retrain=new_ratings(sessions),
        retrain_every=retrain_every,
    )


def record_version(
    sessions: sessionmaker[Session],
    data_dir: Path,
    n_ratings: int,
    last_id: int,
    metrics: dict[str, Any],
    kind: str,
    taste: Taste | None = None,
) -> int:
    """Store a new active version (its taste saved under ``data_dir/ranker/vN``); returns its number."""
    with sessions.begin() as session:
        version = int(session.scalar(select(func.max(RankerVersionRow.version))) or 0) + 1
        relative = f"ranker/v{version}" if taste is not None else ""
        if taste is not None:
            # a record (suggestions refit from ratings), never written through a link out of the data dir
            _save_taste(taste, data_dir, confined(data_dir, relative))
        session.query(RankerVersionRow).update({RankerVersionRow.active: False})
        session.add(
            RankerVersionRow(
                version=version,
                path=relative or kind,
                trained_at=datetime.now(),
                n_ratings=n_ratings,
                last_feedback_id=last_id,
                active=True,
                metrics_json=json.dumps(metrics),
            )
        )
    return version


def _save_taste(taste: Taste, data_dir: Path, folder: Path) -> None:
    """``folder/taste.npz``, private (0700 folders, a 0600 file, whatever the umask) and written atomically."""
    make_private_dirs(data_dir, folder)
    buffer = io.BytesIO()
    np.savez(
        buffer,
        mean=taste.mean,
        occasions=np.array(taste.occasions),
        items=np.array(taste.items, dtype=np.int64),
        familiar=np.array(taste.familiar, dtype=np.float64),
    )
    replace_durably(folder / "taste.npz", buffer.getvalue(), ".npz")
