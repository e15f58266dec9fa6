/**
 * Which study (./study.ts) <optimizer-race>'s racers came from: the one last applied (the sweep
 * panel, a study preset, a link), for as long as the racers are still exactly its racers. An edit
 * of any racer ends it (the charts of the study go, the link stores the racers one by one).
 */
import { draftsFromSpecs, specFromDraft, type RacerDraft } from './racers';
import { studyRacers, type Study } from './study';

const specKey = (d: RacerDraft): string => JSON.stringify(specFromDraft(d));

export class StudyController {
  private applied: Study | null = null;
  /** The applied study's racers as spec strings (compared with the drafts). */
  private expected: string[] = [];
  private memo: { drafts: readonly RacerDraft[]; active: Study | null } | null = null;

  /** The study these drafts are the racers of (null for none); `seed`: the race seed a search draws from. */
  adopt(study: Study | null, seed: number): void {
    this.applied = study;
    this.expected = study ? draftsFromSpecs(studyRacers(study, seed)).map(specKey) : [];
    this.memo = null;
  }

  /** The racers a study replaces the drafts with (and adopts it). Throws the sweep module's message. */
  draftsFor(study: Study, seed: number): RacerDraft[] {
    const drafts = draftsFromSpecs(studyRacers(study, seed));
    this.adopt(study, seed);
    return drafts;
  }

  /** The study the drafts still are, or null once they differ from its racers. */
  active(drafts: readonly RacerDraft[]): Study | null {
    if (this.memo?.drafts === drafts) return this.memo.active;
    const same = this.applied !== null && drafts.length === this.expected.length && drafts.every((d, i) => specKey(d) === this.expected[i]);
    const active = same ? this.applied : null;
    this.memo = { drafts, active };
    return active;
  }
}
