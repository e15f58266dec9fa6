/**
 * The function field of <trajectory-race>: the named-function picker and a text field for a typed
 * f(x, y). Typed text is checked on every input; a bad one is explained under the field at the
 * column where it goes wrong (the text echoed with that character marked and a caret under it)
 * and never reaches the element's `function`, so nothing runs and the last race stays. A good one
 * becomes the element's `function` (the race reruns, debounced by the race controller).
 */
import { html, nothing, type TemplateResult } from 'lit';
import { ExpressionError } from '../../race2d/expression';
import { isFunctionId, kFunctionIds, kFunctions } from '../../race2d/functions';
import { resolveFunction } from '../../race2d/typed-function';
import { errorMessage } from '../../util/error-message';

/** The picker's entry for a typed function. */
const kTyped = 'typed';
const kExample = 'x^2 + 3*y^2 + sin(x)';

export interface FunctionProblem {
  message: string;
  /** 1-based column in the text. */
  column: number;
}

/** null for a function the race accepts (a name or good text), else where and why not. */
export function functionProblem(text: string): FunctionProblem | null {
  try {
    resolveFunction(text);
    return null;
  } catch (error) {
    if (error instanceof ExpressionError) return { message: error.message, column: error.column };
    return { message: errorMessage(error), column: 1 };
  }
}

/** Whitespace other than a space would misalign the caret under the echoed text. */
const echo = (text: string): string => text.replace(/\s/g, ' ');

export class FunctionField {
  /** The text in the field: '' while a named function is picked and nothing was typed. */
  draft = '';
  problem: FunctionProblem | null = null;
  /** The last text this field gave the host: the host's change back is not a change from outside. */
  private given: string | null = null;

  constructor(private readonly host: { function: string; requestUpdate(): void; stopAnimation(): void }) {}

  /** The host's `function` was set (attribute, property, URL, picker): show it. */
  sync(fn: string): void {
    if (fn === this.given) return;
    this.given = null;
    this.draft = isFunctionId(fn) ? '' : fn;
    this.problem = isFunctionId(fn) ? null : functionProblem(fn);
  }

  private input(text: string): void {
    this.draft = text;
    this.problem = functionProblem(text);
    if (!this.problem && text !== this.host.function) {
      this.given = text;
      this.host.stopAnimation();
      this.host.function = text;
    }
    this.host.requestUpdate();
  }

  private pick(value: string, field: HTMLInputElement | null): void {
    this.host.stopAnimation();
    if (value !== kTyped) {
      this.host.function = value;
      return;
    }
    const text = this.draft.trim() === '' || this.problem ? kExample : this.draft;
    this.input(text);
    field?.focus();
  }

  render(): TemplateResult {
    const fn = this.host.function;
    const picked = isFunctionId(fn) ? fn : kTyped;
    const { problem } = this;
    return html`
      <div class="field function-field">
        <label class="label" for="function-picker">Function</label>
        <div class="row function-inputs">
          <select id="function-picker" .value=${picked} @change=${(e: Event) => {
            const select = e.target as HTMLSelectElement;
            this.pick(select.value, select.parentElement?.querySelector('input') ?? null);
          }}>
            ${kFunctionIds.map((id) => html`<option value=${id} ?selected=${id === picked}>${kFunctions[id].label}</option>`)}
            <option value=${kTyped} ?selected=${picked === kTyped}>Typed f(x, y)</option>
          </select>
          <input type="text" class="expression" spellcheck="false" autocomplete="off" autocapitalize="off"
            aria-label="f(x, y) =" placeholder="or type f(x, y), e.g. ${kExample}" .value=${this.draft}
            aria-invalid=${problem ? 'true' : 'false'} aria-describedby=${problem ? 'function-error' : 'function-help'}
            @input=${(e: Event) => this.input((e.target as HTMLInputElement).value)}>
        </div>
        ${problem ? this.renderProblem(problem) : html`<p class="function-help" id="function-help">+ − * / ^, ( ), x, y, pi, e, sin cos tan exp log sqrt abs tanh sinh cosh atan min max</p>`}
      </div>`;
  }

  private renderProblem({ message, column }: FunctionProblem): TemplateResult {
    const text = echo(this.draft);
    const at = column - 1;
    const before = text.slice(0, at);
    const mark = text.slice(at, at + 1) || ' ';
    const after = text.slice(at + 1);
    return html`
      <div class="expression-error" id="function-error" role="alert" data-column=${column}>
        ${text.trim() === '' ? nothing : html`<pre class="expression-echo" aria-hidden="true">${before}<mark>${mark}</mark>${after}\n${' '.repeat(at)}<span class="caret">^</span></pre>`}
        <p class="error">${message}</p>
      </div>`;
  }
}
