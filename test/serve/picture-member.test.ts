import { describe, expect, it } from 'vitest';
import { parseCoalitionText } from '../../src/coalition/coalition-text.js';
import { pictureMembers, WHOLE_PICTURE_ID } from '../../src/serve/picture-member.js';
import { DESIGN_EXAMPLE, DESIGN_ZONES } from '../coalition/design-example.js';

describe('pictureMembers', () => {
  it('serves one picture from the plain topics without a coalition, as the owner', () => {
    expect(pictureMembers(undefined)).toEqual([
      {
        id: WHOLE_PICTURE_ID,
        name: 'Whole picture',
        tracksTopic: 'tracks.fused',
        alertsTopic: 'alerts',
        role: undefined,
      },
    ]);
  });

  it('serves each coalition member from its own topics, as its Postgres role (DESIGN.md §6)', () => {
    const coalition = parseCoalitionText(DESIGN_EXAMPLE, { source: 'design', zones: DESIGN_ZONES });
    const members = pictureMembers(coalition);
    expect(members.map((m) => m.id)).toEqual(['ca', 'ca-ns', 'no', 'uk']);
    expect(members.find((m) => m.id === 'ca-ns')).toEqual({
      id: 'ca-ns',
      name: 'Nova Scotia',
      tracksTopic: 'tracks.fused.ca-ns',
      alertsTopic: 'alerts.ca-ns',
      role: 'member_ca_ns',
    });
  });
});
