import { COALITION_OUTPUTS } from '../coalition/coalition-output.js';
import type { PictureClass, PictureClasses } from '../coalition/picture-classes.js';

/**
 * The picture classes to compute when the contributors that will send anything are known
 * beforehand (`replay`: one `--feed` per member). Classes whose visible contributors differ only
 * in members with no feed get exactly the same input, so one core serves them all: their
 * audiences are merged into one class (id `p1+p4`, visible = the contributors that send, outputs
 * = the union). Exact, and only for a closed input: the streaming worker cannot know that a
 * member will never send, so it computes the policy's classes as they are.
 */
export function picturesForFeeds(
  pictures: PictureClasses,
  contributors: ReadonlySet<string>,
): PictureClasses {
  const groups = new Map<string, PictureClass[]>();
  const mergedIndex: number[] = [];
  for (const picture of pictures.classes) {
    const visible = picture.visible.filter((v) => contributors.has(v.contributor));
    const key = JSON.stringify(visible.map((v) => [v.contributor, v.withheldInside]));
    let group = groups.get(key);
    if (group === undefined) {
      group = [];
      groups.set(key, group);
    }
    group.push(picture);
    mergedIndex[picture.index] = [...groups.keys()].indexOf(key);
  }
  const classes = [...groups].map(([key, group], index): PictureClass => {
    const outputs = new Set(group.flatMap((picture) => picture.outputs));
    return {
      index,
      id: group.map((picture) => picture.id).join('+'),
      key,
      visible: group[0]!.visible.filter((v) => contributors.has(v.contributor)),
      audiences: group.flatMap((picture) => picture.audiences),
      outputs: COALITION_OUTPUTS.filter((output) => outputs.has(output)),
    };
  });
  const audiences = pictures.audiences.map((audience) => ({
    ...audience,
    picture: mergedIndex[audience.picture]!,
  }));
  return { classes, audiences };
}
