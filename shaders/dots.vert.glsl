#version 330 core
// The dots look of the field: one point per grid point, placed from gl_VertexID (x runs
// fastest) and coloured by the class its prediction falls in. No vertex buffer needed.

// Uniforms: the predictions (R32F, read texel by texel), the grid (origin, spacing
// between points, points per row), the view projection, the dot size and class colours.
uniform sampler2D u_field;
uniform vec2 u_grid_origin;
uniform vec2 u_grid_step;
uniform int u_grid_nx;
uniform mat4 u_proj;
uniform float u_size;
uniform vec4 u_inside;
uniform vec4 u_outside;

// Outputs: the dot's colour.
flat out vec4 v_color;

void main() {
    ivec2 ij = ivec2(gl_VertexID % u_grid_nx, gl_VertexID / u_grid_nx);
    float p = texelFetch(u_field, ij, 0).r;
    vec2 world = u_grid_origin + vec2(ij) * u_grid_step;
    gl_Position = u_proj * vec4(world, 0.0, 1.0);
    gl_PointSize = u_size;
    v_color = p >= 0.5 ? u_inside : u_outside;
}
