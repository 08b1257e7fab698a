#version 330 core
// Flat geometry in one colour: line strips built as quads on the CPU and rectangles.

// Inputs: the position in the coordinates of u_proj, and for lines the signed distance
// in pixels from the line's centre (0 for fills).
layout(location = 0) in vec2 a_pos;
layout(location = 1) in float a_across;

// Uniforms: the projection to clip space.
uniform mat4 u_proj;

// Outputs: the distance from the centre, interpolated across the quad.
out float v_across;

void main() {
    gl_Position = u_proj * vec4(a_pos, 0.0, 1.0);
    v_across = a_across;
}
