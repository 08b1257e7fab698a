#version 330 core
// Paints the prediction field: the fragment's world position becomes a coordinate in the
// grid texture, and the prediction p found there picks the colour for the mode. Outside
// the grid's rectangle p counts as 0, the outside class.

// Inputs: the world position from field.vert.
in vec2 v_world;

// Uniforms: the predictions (R32F, grid point (i, j) in texel (i, j)), where the grid lies
// (origin x0, y0; extent x1 - x0, y1 - y0; point counts nx, ny), the mode (0 smooth,
// 1 hard, 2 confidence) and the class colours.
uniform sampler2D u_field;
uniform vec2 u_grid_origin;
uniform vec2 u_grid_extent;
uniform vec2 u_grid_count;
uniform int u_mode;
uniform vec4 u_inside;
uniform vec4 u_outside;

// Outputs: an opaque colour.
out vec4 o_color;

// The tone a prediction of exactly 0.5 fades to in the confidence mode.
const vec3 NEUTRAL = vec3(0.5, 0.5, 0.5);

void main() {
    // g runs over 0..1 across the grid; grid point i sits at the centre of texel i.
    vec2 g = (v_world - u_grid_origin) / u_grid_extent;
    vec2 uv = (0.5 + g * (u_grid_count - 1.0)) / u_grid_count;
    float eps = 1e-4;
    bool on_grid = all(greaterThanEqual(g, vec2(-eps))) && all(lessThanEqual(g, vec2(1.0 + eps)));
    // Sampled unconditionally: implicit derivatives need every fragment of the quad.
    float sampled = texture(u_field, uv).r;
    // A diverged network predicts NaN: show it as undecided rather than as garbage.
    float p = on_grid ? (isnan(sampled) ? 0.5 : sampled) : 0.0;
    float dp = fwidth(p);

    vec3 color;
    if (u_mode == 0) {
        // About one pixel of blend across p = 0.5, however coarse the grid is; the floor
        // keeps smoothstep's edges apart where p is flat.
        float w = max(0.5 * dp, 1e-5);
        color = mix(u_outside.rgb, u_inside.rgb, smoothstep(0.5 - w, 0.5 + w, p));
    } else if (u_mode == 1) {
        color = p >= 0.5 ? u_inside.rgb : u_outside.rgb;
    } else {
        vec3 class_color = p >= 0.5 ? u_inside.rgb : u_outside.rgb;
        color = mix(NEUTRAL, class_color, abs(2.0 * p - 1.0));
    }
    o_color = vec4(color, 1.0);
}
