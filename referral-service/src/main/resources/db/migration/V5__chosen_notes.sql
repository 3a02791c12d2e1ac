-- N1, A1: the case-service notes among a referral's items, by id (comma-separated, in the items'
-- order; empty when none). Never sent to the recipient (whose items carry no internal ids): kept so
-- that sending the referral records one disclosure (note.disclose) per note, in the same transaction.
-- Replaced with the items, so it always names exactly the notes of the items that consent covers (T2).
ALTER TABLE referral ADD COLUMN chosen_notes TEXT NOT NULL DEFAULT '';
