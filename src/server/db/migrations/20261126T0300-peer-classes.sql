-- Peer classes (对标分组) decide who is compared with whom: a unit is ranked only among the units
-- of its own class that report the same indicator (e.g. potlines of the same amperage), and a
-- peer benchmark of one class cannot be selected by a unit of another. '' is "no class".
ALTER TABLE units ADD COLUMN peer_class text NOT NULL DEFAULT ''
  CHECK (peer_class = btrim(peer_class) AND char_length(peer_class) <= 50);
