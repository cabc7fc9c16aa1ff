-- The writer may read which members the policy in force has (issue 13): applying a new policy
-- (applyCoalitionPolicy, as the worker's role) names the members it drops, whose roles then read
-- nothing and are left to the administrator (roles are cluster-wide). Member roles stay closed
-- out of it.
GRANT SELECT ON coalition_members TO tidewatch_writer;
