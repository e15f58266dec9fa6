import { css } from 'lit';
import { controlStyles, hostBaseStyles } from '../../shared-styles';

export const styles = css`
  ${hostBaseStyles}
  ${controlStyles}
  :host {
    display: block;
    min-width: 0;
  }
  .frame {
    display: grid;
    gap: var(--or-space-3);
  }
  .stage {
    position: relative;
    width: 100%;
    aspect-ratio: 5 / 4;
    background: var(--or-bg);
    border: 1px solid var(--or-border);
    border-radius: var(--or-radius-sm);
    overflow: hidden;
    cursor: grab;
    touch-action: none;
  }
  .stage.dragging {
    cursor: grabbing;
  }
  .stage:focus-visible {
    outline: var(--or-focus-width) solid var(--or-accent);
    outline-offset: var(--or-focus-offset);
  }
  canvas {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    display: block;
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--or-space-4);
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
  }
  .controls button {
    min-height: var(--or-control-height-sm);
    padding: var(--or-control-padding-sm);
  }
  .renderer {
    margin-left: auto;
  }
  .note {
    margin: 0;
    font-size: var(--or-font-size-sm);
    color: var(--or-muted);
  }
`;
