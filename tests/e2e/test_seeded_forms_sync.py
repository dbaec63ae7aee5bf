"""A seeded laptop's filled forms (every shipped form, the split housing forms included) pass the server's
answer checks and reach the other laptop with their signatures."""

from sqlmodel import select

from app.services.seed import seed_store
from app.store.models import AttachmentLink, FormResponse
from app.sync.service import list_rejected


def test_seeded_responses_push_and_pull(laptop):
    a = laptop("a", regions=("3308",))
    b = laptop("b", regions=("3308",))
    report = seed_store(a.store, 40, seed=12, regions=["330802"], workers=("alice",), with_forms=True)
    pushed = a.sync()
    assert pushed.rejected == 0 and list_rejected(a.store) == []
    b.sync()
    with a.store.session() as s:
        mine = {(r.id, r.form_id, r.form_version, r.status): r.answers for r in s.exec(select(FormResponse))}
        links = {link.sha256 for link in s.exec(select(AttachmentLink))}
    with b.store.session() as s:
        theirs = {
            (r.id, r.form_id, r.form_version, r.status): r.answers for r in s.exec(select(FormResponse))
        }
    assert len(mine) == report.responses and set(theirs) == set(mine)
    # an answer set to None (an empty calculation) travels as no answer: compare with .get
    diffs = {
        (k[1], q): (mine[k].get(q), theirs[k].get(q))
        for k in mine
        for q in set(mine[k]) | set(theirs[k])
        if mine[k].get(q) != theirs[k].get(q)
    }
    assert not diffs, sorted(diffs.items())[:8]
    assert {"housing_condition", "housing_survey", "needs_assessment"} <= {k[1] for k in mine}
    assert links and all(b.store.files.has(sha) for sha in links)
