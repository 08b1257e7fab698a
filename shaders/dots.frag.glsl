#version 330 core
// Round dots for the dots look of the field, their edge blended over about one pixel by
// distance from the centre (drawn with alpha blending over the background).

// Inputs: the dot's colour.
flat in vec4 v_color;

// Uniforms: the dot size in pixels (the same as gl_PointSize).
uniform float u_size;

// Outputs: the colour with the edge's coverage as straight alpha.
out vec4 o_color;

void main() {
    float d = length(gl_PointCoord - 0.5) * u_size;
    float coverage = clamp(0.5 * u_size - d + 0.5, 0.0, 1.0);
    if (coverage <= 0.0) {
        discard;
    }
    o_color = vec4(v_color.rgb, coverage);
}
