import {
  type DefaultProps,
  Layer,
  type LayerProps,
  project32,
  type UpdateParameters,
} from '@deck.gl/core';
import { Model } from '@luma.gl/engine';

/**
 * Vessels as heading-rotated arrows of a fixed size in pixels, in one draw call that is not
 * instanced: each vessel is a triangle of three vertices, the corner index (0 tip, 1 and 2 the
 * back) telling the vertex shader where to offset its position. Software WebGL (SwiftShader, the
 * browser's fallback without a GPU and what the tests and bench run on) draws instanced layers
 * per instance — deck.gl's IconLayer or ScatterplotLayer cost about 20-30 µs per vessel there
 * (README, issue 15) — and a plain triangle list at the cost of its vertices.
 *
 * Data is binary only: `{length: vessels, attributes: {getPosition, getAngle, getColor,
 * getCorner}}`, three vertices per vessel in each (vessel-attributes.ts expands the store's
 * arrays). Not pickable through deck.gl: the page finds the vessel under a click itself.
 */
export interface VesselArrowLayerProps extends LayerProps {
  /** Length of an arrow, pixels. */
  readonly sizePixels?: number;
}

const uniformBlock = `\
layout(std140) uniform vesselUniforms {
  float sizePixels;
} vessel;
`;

const vesselUniforms = {
  name: 'vessel',
  vs: uniformBlock,
  fs: '',
  uniformTypes: { sizePixels: 'f32' },
} as const;

const vs = `\
#version 300 es
#define SHADER_NAME vessel-arrow-layer-vertex-shader
in vec3 vesselPositions;
in vec3 vesselPositions64Low;
in float vesselAngles;
in vec4 vesselColors;
in float vesselCorners;
out vec4 vColor;
void main(void) {
  geometry.worldPosition = vesselPositions;
  vec2 corner = vesselCorners < 0.5
    ? vec2(0.0, 0.6)
    : (vesselCorners < 1.5 ? vec2(0.35, -0.4) : vec2(-0.35, -0.4));
  float a = radians(vesselAngles);
  float c = cos(a);
  float s = sin(a);
  vec2 offset = vec2(corner.x * c - corner.y * s, corner.x * s + corner.y * c) * vessel.sizePixels;
  gl_Position = project_position_to_clipspace(
    vesselPositions, vesselPositions64Low, vec3(0.0), geometry.position);
  gl_Position.xy += project_pixel_size_to_clipspace(offset);
  vColor = vec4(vesselColors.rgb, vesselColors.a * layer.opacity);
}
`;

const fs = `\
#version 300 es
#define SHADER_NAME vessel-arrow-layer-fragment-shader
precision highp float;
in vec4 vColor;
out vec4 fragColor;
void main(void) {
  if (vColor.a == 0.0) discard;
  fragColor = vColor;
}
`;

const defaultProps: DefaultProps<VesselArrowLayerProps> = {
  sizePixels: { type: 'number', min: 1, value: 14 },
};

export class VesselArrowLayer extends Layer<Required<VesselArrowLayerProps>> {
  static override layerName = 'VesselArrowLayer';
  static override defaultProps = defaultProps;
  declare state: { model?: Model };

  override getShaders() {
    return super.getShaders({ vs, fs, modules: [project32, vesselUniforms] });
  }

  override initializeState(): void {
    this.getAttributeManager()!.add({
      vesselPositions: {
        size: 3,
        type: 'float64',
        fp64: this.use64bitPositions(),
        accessor: 'getPosition',
      },
      vesselAngles: { size: 1, accessor: 'getAngle' },
      vesselColors: { size: 4, type: 'unorm8', accessor: 'getColor', defaultValue: [0, 0, 0, 255] },
      vesselCorners: { size: 1, accessor: 'getCorner' },
    });
  }

  override updateState(params: UpdateParameters<this>): void {
    super.updateState(params);
    if (params.changeFlags.extensionsChanged || this.state.model === undefined) {
      this.state.model?.destroy();
      this.state.model = new Model(this.context.device, {
        ...this.getShaders(),
        id: this.props.id,
        bufferLayout: this.getAttributeManager()!.getBufferLayouts({ isInstanced: false }),
        topology: 'triangle-list',
        isInstanced: false,
        vertexCount: 0,
      });
      this.getAttributeManager()!.invalidateAll();
    }
  }

  override draw(): void {
    const model = this.state.model!;
    model.shaderInputs.setProps({ vessel: { sizePixels: this.props.sizePixels } });
    model.setVertexCount(3 * this.getNumInstances());
    model.draw(this.context.renderPass);
  }
}
